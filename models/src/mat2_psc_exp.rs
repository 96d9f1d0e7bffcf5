//! # mat2_psc_exp — non-resetting leaky integrate-and-fire neuron with a multi-timescale adaptive threshold
//!
//! The MAT(2) model of Kobayashi et al. (2009): a leaky membrane that is *not* reset at a spike,
//! with exponentially decaying input currents, and a threshold that jumps at every spike and
//! relaxes back to its resting value with two time constants. Integrated exactly on the time
//! grid with NEST's propagators and order of operations, as NEST 3.10's `mat2_psc_exp`.
//!
//! ## Equations
//!
//! ```text
//! dV_m/dt = −(V_m − E_L)/τ_m + (I_syn_ex + I_syn_in + I_e + I_stim)/C_m
//! i_syn,X(t) = w · e^{−t/τ_syn,X} · Θ(t)                  (jump w at the arrival, X = ex, in)
//! V_th(t) = ω + H_1(t) + H_2(t),   dH_k/dt = −H_k/τ_k,   H_k += α_k at each spike
//! ```
//!
//! A spike is emitted at step t_{k+1} when V_m ≥ V_th and the neuron is not refractory; V_m
//! keeps evolving, H_1 += α_1, H_2 += α_2, and no further spike can occur for t_ref (the *total*
//! refractory period, rounded up to whole steps as NEST does; the neuron may fire again in the
//! step after it ends). One step h, with y = V_m − E_L:
//!
//! ```text
//! y   ← y·expm1(−h/τ_m) + y + I_ex·P21_ex + I_in·P21_in + (I_e + I_stim)·P20
//! H_k ← H_k·e^{−h/τ_k}
//! I_X ← I_X·e^{−h/τ_X} + (spike input of the step)
//! P21_X = −τ_m / (C_m (1 − τ_m/τ_X)) · e^{−h/τ_X} · expm1(h (1/τ_X − 1/τ_m))
//! P20   = −τ_m/C_m · expm1(−h/τ_m)
//! ```
//!
//! Step currents received in a step act during the following step. The propagators are only
//! valid for τ_m ≠ τ_syn,X, which the checks enforce. `expm1` here is the C library's (NEST's
//! `mat2_psc_exp` calls it unqualified, unlike the propagators of `iaf_psc_*`, which use
//! NEST's own series in builds without it, see [`crate::numerics::expm1`]); with the series
//! instead, V_m differs from NEST's in the last bit after synaptic input.
//!
//! ## Parameters
//!
//! | NEST name    | unit | default | meaning                                             |
//! |--------------|------|---------|-----------------------------------------------------|
//! | `E_L`        | mV   | −70     | resting membrane potential                          |
//! | `I_e`        | pA   | 0       | constant input current                              |
//! | `C_m`        | pF   | 100     | membrane capacitance                                |
//! | `tau_m`      | ms   | 5       | membrane time constant                              |
//! | `tau_syn_ex` | ms   | 1       | decay time of the excitatory current                |
//! | `tau_syn_in` | ms   | 3       | decay time of the inhibitory current                |
//! | `t_ref`      | ms   | 2       | total refractory period (no spikes; V_m not clamped) |
//! | `tau_1`      | ms   | 10      | short time constant of the threshold                |
//! | `tau_2`      | ms   | 200     | long time constant of the threshold                 |
//! | `alpha_1`    | mV   | 37      | jump of the short threshold component at a spike    |
//! | `alpha_2`    | mV   | 2       | jump of the long threshold component at a spike     |
//! | `omega`      | mV   | −51     | resting threshold (absolute)                        |
//!
//! Checks (NEST's, in NEST's order, each a `BadProperty`): `C_m > 0`; `tau_m`, `tau_syn_ex`,
//! `tau_syn_in`, `t_ref`, `tau_1`, `tau_2` all `> 0` ("All time constants must be strictly
//! positive"); `tau_m ≠ tau_syn_ex` and `tau_m ≠ tau_syn_in`. At Simulate, a `t_ref` that rounds
//! to less than one step is refused ("Total refractory time must be at least one time step").
//!
//! As in NEST, `V_m` and `omega` are shown as absolute values but kept relative to `E_L`:
//! setting `E_L` alone leaves the absolute `V_m`, `omega` and threshold unchanged.
//!
//! ## State and recordables
//!
//! * Status: `V_m` (mV, initial −70), `V_th_alpha_1`, `V_th_alpha_2` (mV, H_1 and H_2, initial
//!   0), and the read-only `V_th` = E_L + (ω − E_L) + H_1 + H_2 (mV).
//! * Recordables (NEST's list): `V_m`, `V_th`.
//!
//! ## Events
//!
//! * Sends: spikes.
//! * Receives: spikes on receptor 0 (pA; weight·multiplicity ≥ 0 → excitatory, otherwise
//!   inhibitory), currents on receptor 0 (pA). Other receptors: `UnknownReceptorType`.
//!
//! ## References
//!
//! 1. Kobayashi R, Tsubo Y, Shinomoto S (2009). Made-to-order spiking neuron model equipped
//!    with a multi-timescale adaptive threshold. Front Comput Neurosci 3:9.
//!    doi:10.3389/neuro.10.009.2009
//! 2. Rotter S, Diesmann M (1999). Exact simulation of time-invariant linear systems with
//!    applications to neuronal modeling. Biol Cybern 81:381–402. doi:10.1007/s004220050570
//!
//! ## See also
//!
//! [`crate::amat2_psc_exp`] (with a voltage-dependent threshold component),
//! [`crate::iaf_psc_exp`], [`crate::numerics`].

use crate::neuron::{check_positive, col, Neuron, Receptors, CH_CURRENT, CH_EX, CH_IN};
use crate::numerics::ms_to_steps;
use nestor_kernel::error::{Error, Result};
use nestor_kernel::model::{Emitter, Failure, Inputs, StepCtx};
use nestor_kernel::schema::{ParamSpec, ParamTable};
use nestor_kernel::units::Unit;
use nestor_kernel::value::{Dict, Value};

/// The status schema of `mat2_psc_exp`: NEST names, units and defaults.
pub static SCHEMA: [ParamSpec; 17] = [
    ParamSpec::param("E_L", Unit::MilliVolt, -70.0, "Resting membrane potential"),
    ParamSpec::param("I_e", Unit::PicoAmpere, 0.0, "Constant input current"),
    ParamSpec::param("C_m", Unit::PicoFarad, 100.0, "Capacitance of the membrane"),
    ParamSpec::param("tau_m", Unit::Millisecond, 5.0, "Membrane time constant"),
    ParamSpec::param("tau_syn_ex", Unit::Millisecond, 1.0, "Decay time of the excitatory synaptic current"),
    ParamSpec::param("tau_syn_in", Unit::Millisecond, 3.0, "Decay time of the inhibitory synaptic current"),
    ParamSpec::param("t_ref", Unit::Millisecond, 2.0, "Duration of the total refractory period"),
    ParamSpec::param("tau_1", Unit::Millisecond, 10.0, "Short time constant of the adaptive threshold"),
    ParamSpec::param("tau_2", Unit::Millisecond, 200.0, "Long time constant of the adaptive threshold"),
    ParamSpec::param("alpha_1", Unit::MilliVolt, 37.0, "Jump of the short threshold component at a spike"),
    ParamSpec::param("alpha_2", Unit::MilliVolt, 2.0, "Jump of the long threshold component at a spike"),
    ParamSpec::param("omega", Unit::MilliVolt, -51.0, "Resting spike threshold (absolute)"),
    ParamSpec::state("V_m", Unit::MilliVolt, -70.0, "Membrane potential"),
    ParamSpec::state("V_th_alpha_1", Unit::MilliVolt, 0.0, "Short threshold component"),
    ParamSpec::state("V_th_alpha_2", Unit::MilliVolt, 0.0, "Long threshold component"),
    ParamSpec::param("tau_minus", Unit::Millisecond, 20.0, "Time constant of the K- trace read by STDP synapses"),
    ParamSpec::param("tau_minus_triplet", Unit::Millisecond, 110.0, "Time constant of the triplet K- trace"),
];

const E_L: usize = col(&SCHEMA, "E_L");
const I_E: usize = col(&SCHEMA, "I_e");
const C_M: usize = col(&SCHEMA, "C_m");
const TAU_M: usize = col(&SCHEMA, "tau_m");
const TAU_EX: usize = col(&SCHEMA, "tau_syn_ex");
const TAU_IN: usize = col(&SCHEMA, "tau_syn_in");
const T_REF: usize = col(&SCHEMA, "t_ref");
const TAU_1: usize = col(&SCHEMA, "tau_1");
const TAU_2: usize = col(&SCHEMA, "tau_2");
const ALPHA_1: usize = col(&SCHEMA, "alpha_1");
const ALPHA_2: usize = col(&SCHEMA, "alpha_2");
const OMEGA: usize = col(&SCHEMA, "omega");
const V_M: usize = col(&SCHEMA, "V_m");
const V_TH_1: usize = col(&SCHEMA, "V_th_alpha_1");
const V_TH_2: usize = col(&SCHEMA, "V_th_alpha_2");

/// One neuron's propagators and parameters in the form `update` uses.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Consts {
    p11_ex: f64,
    p11_in: f64,
    /// expm1(−h/τ_m).
    p22_expm1: f64,
    p21_ex: f64,
    p21_in: f64,
    p20: f64,
    /// e^{−h/τ_1}, e^{−h/τ_2}.
    p11_th: f64,
    p22_th: f64,
    i_e: f64,
    /// ω − E_L, mV.
    omega: f64,
    alpha_1: f64,
    alpha_2: f64,
    e_l: f64,
    ref_counts: i64,
}

/// A chunk's internal state; the table holds V_m (absolute), V_th_alpha_1 and V_th_alpha_2.
#[derive(Debug, Clone)]
pub struct Mat2PscExp {
    /// V_m − E_L, mV (the table's `V_m` mirrors it plus E_L).
    v: Vec<f64>,
    i_syn_ex: Vec<f64>,
    i_syn_in: Vec<f64>,
    /// Step current received in the previous step, pA.
    i_0: Vec<f64>,
    /// Remaining refractory steps.
    r: Vec<i64>,
    consts: Vec<Consts>,
}

/// NEST's threshold as GetStatus and the multimeter show it: E_L + ω_rel + H_1 + H_2.
fn threshold(t: &ParamTable, i: usize) -> f64 {
    let e_l = t.get(E_L, i);
    e_l + (t.get(OMEGA, i) - e_l) + t.get(V_TH_1, i) + t.get(V_TH_2, i)
}

impl Neuron for Mat2PscExp {
    const NAME: &'static str = "mat2_psc_exp";
    const SUMMARY: &'static str =
        "Non-resetting leaky integrate-and-fire model with exponential PSCs and adaptive threshold (MAT2)";
    const SCHEMA: &'static [ParamSpec] = &SCHEMA;
    const RECORDABLES: &'static [&'static str] = &["V_m", "V_th"];
    const RECEPTORS: Receptors = Receptors::SignSplit;
    const WEIGHT_UNIT: Unit = Unit::PicoAmpere;

    fn new(table: &mut ParamTable) -> Self {
        let n = table.len();
        let z = vec![0.0; n];
        let v = (0..n).map(|i| table.get(V_M, i) - table.get(E_L, i)).collect();
        Mat2PscExp { v, i_syn_ex: z.clone(), i_syn_in: z.clone(), i_0: z, r: vec![0; n], consts: Vec::new() }
    }

    fn check(row: &[f64]) -> Result<()> {
        if row[C_M] <= 0.0 {
            return Err(Error::bad_property(format!(
                "Capacitance must be strictly positive (got C_m = {} pF).",
                row[C_M]
            )));
        }
        check_positive(
            row,
            &[
                (TAU_M, "tau_m", "ms"),
                (TAU_EX, "tau_syn_ex", "ms"),
                (TAU_IN, "tau_syn_in", "ms"),
                (T_REF, "t_ref", "ms"),
                (TAU_1, "tau_1", "ms"),
                (TAU_2, "tau_2", "ms"),
            ],
            "All time constants",
        )?;
        if row[TAU_M] == row[TAU_EX] || row[TAU_M] == row[TAU_IN] {
            return Err(Error::bad_property(format!(
                "Membrane and synapse time constant(s) must differ.See note in documentation \
                 (got tau_m = {} ms, tau_syn_ex = {} ms, tau_syn_in = {} ms).",
                row[TAU_M], row[TAU_EX], row[TAU_IN]
            )));
        }
        Ok(())
    }

    fn prepare(&mut self, t: &mut ParamTable, h: f64) -> Result<()> {
        let mut consts = Vec::with_capacity(t.len());
        for i in 0..t.len() {
            let (tau_m, c_m) = (t.get(TAU_M, i), t.get(C_M, i));
            let (tau_ex, tau_in) = (t.get(TAU_EX, i), t.get(TAU_IN, i));
            let e_l = t.get(E_L, i);
            let p11_ex = (-h / tau_ex).exp();
            let p11_in = (-h / tau_in).exp();
            let p22_expm1 = (-h / tau_m).exp_m1();
            let ref_counts = ms_to_steps(t.get(T_REF, i), h);
            if ref_counts < 1 {
                return Err(Error::bad_property(format!(
                    "Total refractory time must be at least one time step (got t_ref = {} ms at resolution {h} ms).",
                    t.get(T_REF, i)
                )));
            }
            consts.push(Consts {
                p11_ex,
                p11_in,
                p22_expm1,
                p21_ex: -tau_m / (c_m * (1.0 - tau_m / tau_ex)) * p11_ex * (h * (1.0 / tau_ex - 1.0 / tau_m)).exp_m1(),
                p21_in: -tau_m / (c_m * (1.0 - tau_m / tau_in)) * p11_in * (h * (1.0 / tau_in - 1.0 / tau_m)).exp_m1(),
                p20: -tau_m / c_m * p22_expm1,
                p11_th: (-h / t.get(TAU_1, i)).exp(),
                p22_th: (-h / t.get(TAU_2, i)).exp(),
                i_e: t.get(I_E, i),
                omega: t.get(OMEGA, i) - e_l,
                alpha_1: t.get(ALPHA_1, i),
                alpha_2: t.get(ALPHA_2, i),
                e_l,
                ref_counts,
            });
            // V_m or E_L changed by SetStatus since the last run: the absolute V_m is the truth.
            let v_m = t.get(V_M, i);
            if self.v[i] + e_l != v_m {
                self.v[i] = v_m - e_l;
            }
        }
        self.consts = consts;
        Ok(())
    }

    fn update(
        &mut self,
        table: &mut ParamTable,
        _ctx: &StepCtx,
        inputs: &Inputs<'_>,
        out: &mut Emitter<'_>,
    ) -> std::result::Result<(), Failure> {
        let (in_ex, in_in, in_i) = (inputs.channel(CH_EX), inputs.channel(CH_IN), inputs.channel(CH_CURRENT));
        let cols = table.cols_mut();
        for i in 0..self.v.len() {
            let c = &self.consts[i];
            // NEST's order of operations, for bitwise agreement.
            let v = self.v[i];
            self.v[i] = v * c.p22_expm1
                + v
                + self.i_syn_ex[i] * c.p21_ex
                + self.i_syn_in[i] * c.p21_in
                + (c.i_e + self.i_0[i]) * c.p20;
            cols[V_TH_1][i] *= c.p11_th;
            cols[V_TH_2][i] *= c.p22_th;
            self.i_syn_ex[i] *= c.p11_ex;
            self.i_syn_in[i] *= c.p11_in;
            self.i_syn_ex[i] += in_ex[i];
            self.i_syn_in[i] += in_in[i];
            if self.r[i] == 0 {
                if self.v[i] >= c.omega + cols[V_TH_2][i] + cols[V_TH_1][i] {
                    self.r[i] = c.ref_counts;
                    cols[V_TH_1][i] += c.alpha_1;
                    cols[V_TH_2][i] += c.alpha_2;
                    out.spike(i);
                }
            } else {
                self.r[i] -= 1;
            }
            self.i_0[i] = in_i[i];
            cols[V_M][i] = self.v[i] + c.e_l;
        }
        Ok(())
    }

    fn read(&self, table: &ParamTable, _var: usize, i: usize) -> f64 {
        threshold(table, i)
    }

    fn get_derived(&self, table: &ParamTable, i: usize, d: &mut Dict) {
        d.insert("V_th".into(), Value::Double(threshold(table, i)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::neuron::testing::{nodes, run};
    use nestor_kernel::error::ErrorKind;
    use nestor_kernel::model::Env;

    #[test]
    fn dc_response_matches_closed_form() {
        // Oracle: V(t) = E_L + R I (1 − e^{−t/τ_m}), R = τ_m / C_m; below threshold no spike.
        let mut nd = nodes::<Mat2PscExp>(1);
        nd.table_mut().set(I_E, 0, 300.0); // R I = 15 mV < ω − E_L = 19 mV
        let (rec, spikes) = run(&mut nd, 0.1, 1000, |_, _| 0.0);
        assert!(spikes.is_empty());
        for (k, x) in rec.iter().enumerate() {
            let t = (k + 1) as f64 * 0.1;
            let exact = -70.0 + 5.0 / 100.0 * 300.0 * (1.0 - (-t / 5.0).exp());
            assert!((x[0] - exact).abs() < 1e-12, "t = {t}: {} vs {exact}", x[0]);
            assert_eq!(x[1], -51.0);
        }
    }

    #[test]
    fn psc_response_matches_closed_form() {
        // Oracle: V − E_L = w/C · τ_s τ_m/(τ_m − τ_s) · (e^{−s/τ_m} − e^{−s/τ_s}), s = time since
        // the current jumped (the end of the arrival step).
        let (tm, c) = (5.0_f64, 100.0_f64);
        for (ch, w, ts) in [(CH_EX, 100.0, 1.0_f64), (CH_IN, -100.0, 3.0_f64)] {
            let mut nd = nodes::<Mat2PscExp>(1);
            let (rec, _) = run(&mut nd, 0.1, 300, |t, k| if t == 0 && k == ch { w } else { 0.0 });
            for (k, x) in rec.iter().enumerate() {
                let s = k as f64 * 0.1;
                let v = w / c * ts * tm / (tm - ts) * ((-s / tm).exp() - (-s / ts).exp());
                assert!((x[0] + 70.0 - v).abs() < 1e-12, "k = {k}");
            }
        }
    }

    #[test]
    fn threshold_jumps_and_decays_and_v_is_not_reset() {
        // Oracle (Kobayashi et al. 2009): at a spike H_k += α_k, then H_k decays with τ_k; the
        // membrane potential is not reset.
        let mut nd = nodes::<Mat2PscExp>(1);
        let (rec, spikes) = run(&mut nd, 0.1, 200, |t, k| if t == 0 && k == CH_EX { 5000.0 } else { 0.0 });
        assert_eq!(spikes.len(), 1, "{spikes:?}");
        let s0 = spikes[0] as usize - 1; // index of the record at the spike
        assert!(rec[s0][0] > -51.0 && rec[s0 - 1][0] < rec[s0][0]);
        assert!(rec[s0 + 1][0] > -51.0, "V_m must not be reset");
        for (k, x) in rec[s0..].iter().enumerate() {
            let s = k as f64 * 0.1;
            let exact = -51.0 + 37.0 * (-s / 10.0).exp() + 2.0 * (-s / 200.0).exp();
            assert!((x[1] - exact).abs() < 1e-12, "k = {k}: {} vs {exact}", x[1]);
        }
    }

    #[test]
    fn total_refractory_period_spaces_spikes() {
        // Oracle: without threshold jumps and with V_m above ω, NEST's counter lets the neuron
        // fire every t_ref/h + 1 steps (t_ref steps refractory, then the next step may fire).
        for (t_ref, steps) in [(2.0, 21), (0.1, 2), (0.45, 6)] {
            let mut nd = nodes::<Mat2PscExp>(1);
            nd.table_mut().set(ALPHA_1, 0, 0.0);
            nd.table_mut().set(ALPHA_2, 0, 0.0);
            nd.table_mut().set(OMEGA, 0, -80.0);
            nd.table_mut().set(T_REF, 0, t_ref);
            let (_, spikes) = run(&mut nd, 0.1, 100, |_, _| 0.0);
            assert_eq!(spikes[0], 1);
            assert!(spikes.windows(2).all(|w| w[1] - w[0] == steps), "t_ref {t_ref}: {spikes:?}");
        }
    }

    #[test]
    fn checks_use_nest_messages_with_values() {
        let nd = nodes::<Mat2PscExp>(1);
        let base = nd.table().row(0);
        for (k, x, msg) in [
            (C_M, 0.0, "Capacitance must be strictly positive"),
            (TAU_M, 0.0, "All time constants must be strictly positive"),
            (TAU_EX, -1.0, "All time constants must be strictly positive"),
            (T_REF, 0.0, "All time constants must be strictly positive"),
            (TAU_2, 0.0, "All time constants must be strictly positive"),
            (TAU_EX, 5.0, "Membrane and synapse time constant(s) must differ."),
            (TAU_IN, 5.0, "Membrane and synapse time constant(s) must differ."),
        ] {
            let mut row = base.clone();
            row[k] = x;
            let e = nd.validate(&row).unwrap_err();
            assert_eq!(e.kind, ErrorKind::BadProperty);
            assert!(e.message.contains(msg), "{}", e.message);
            assert!(e.message.contains(&format!("= {x} ")), "{}", e.message);
        }
        assert!(nd.validate(&base).is_ok());
    }

    #[test]
    fn refractory_time_below_one_step_is_refused_at_simulate() {
        // Oracle: NEST's pre_run_hook throws "Total refractory time must be at least one time step."
        let mut nd = nodes::<Mat2PscExp>(1);
        nd.table_mut().set(T_REF, 0, 0.0004); // rounds to 0 tics
        let e = nd.prepare(&Env { resolution: 0.1, now: 0, min_delay: 1, max_delay: 1 }).unwrap_err();
        assert_eq!(e.kind, ErrorKind::BadProperty);
        assert!(e.message.contains("Total refractory time must be at least one time step"), "{}", e.message);
    }

    #[test]
    fn threshold_status_is_derived_and_absolute() {
        // Oracle: NEST's GetStatus V_th = E_L + ω_rel + V_th_alpha_1 + V_th_alpha_2; E_L alone
        // keeps the absolute ω.
        let mut nd = nodes::<Mat2PscExp>(1);
        nd.table_mut().set(V_TH_1, 0, 3.0);
        nd.table_mut().set(E_L, 0, -60.0);
        let mut d = Dict::new();
        nd.get_extra(0, &mut d);
        assert_eq!(d.get("V_th"), Some(&Value::Double(-48.0)));
        assert_eq!(nd.read(1, 0), -48.0);
    }
}
