//! # iaf_psc_exp_htum — leaky integrate-and-fire neuron with exponential PSCs and separate absolute and total refractory periods
//!
//! A leaky integrate-and-fire neuron with exponentially decaying input currents (Tsodyks et
//! al. 2000), as used by Hill & Tononi (2005), whose refractoriness has two parts: during the
//! *absolute* refractory period the membrane potential is clamped at V_reset; during the
//! *total* refractory period (which contains it) no spike can be emitted although V_m evolves.
//! Integrated exactly on the time grid with NEST's propagators and order of operations, as
//! NEST 3.10's `iaf_psc_exp_htum`.
//!
//! ## Equations
//!
//! ```text
//! dV_m/dt = −(V_m − E_L)/τ_m + (I_syn_ex + I_syn_in + I_e + I_stim)/C_m
//! i_syn,X(t) = w · e^{−t/τ_syn,X} · Θ(t)                  (jump w at the arrival, X = ex, in)
//! ```
//!
//! One step h, with y = V_m − E_L: if not absolutely refractory,
//! y ← y·e^{−h/τ_m} + I_ex·P21_ex + I_in·P21_in + (I_e + I_stim)·τ_m/C_m·(1 − e^{−h/τ_m})
//! (otherwise the absolute counter counts down); the currents decay and receive the step's
//! spike input; then, if not totally refractory and y ≥ V_th − E_L, a spike is emitted, y is set
//! to V_reset − E_L and both counters start (t_ref_abs and t_ref_tot rounded up to whole steps
//! as NEST does); otherwise the total counter counts down. P21_X is NEST's exact propagator
//! including its handling of τ_m ≈ τ_syn,X ([`crate::numerics::IafPropagator`]). Step currents
//! received in a step act during the following step.
//!
//! ## Parameters
//!
//! | NEST name    | unit | default | meaning                                            |
//! |--------------|------|---------|----------------------------------------------------|
//! | `E_L`        | mV   | −70     | resting membrane potential                         |
//! | `I_e`        | pA   | 0       | constant input current                             |
//! | `V_th`       | mV   | −55     | spike threshold                                    |
//! | `V_reset`    | mV   | −70     | reset potential                                    |
//! | `C_m`        | pF   | 250     | membrane capacitance                               |
//! | `tau_m`      | ms   | 10      | membrane time constant                             |
//! | `tau_syn_ex` | ms   | 2       | decay time of the excitatory current               |
//! | `tau_syn_in` | ms   | 2       | decay time of the inhibitory current               |
//! | `t_ref_abs`  | ms   | 2       | absolute refractory period (V_m clamped)           |
//! | `t_ref_tot`  | ms   | 2       | total refractory period (no spikes), ≥ `t_ref_abs` |
//!
//! Checks (NEST's, in NEST's order, each a `BadProperty`): `V_reset < V_th`; `t_ref_abs ≤
//! t_ref_tot`; `C_m > 0`; `tau_m`, `tau_syn_ex`, `tau_syn_in`, `t_ref_tot`, `t_ref_abs` all
//! `> 0`. At Simulate, refractory times that round to less than one step are refused
//! ("Absolute refractory time must be at least one time step.", then the same for the total
//! one).
//!
//! As in NEST, voltages are shown as absolute values but kept relative to `E_L`; setting `E_L`
//! alone leaves the absolute `V_th`, `V_reset` and `V_m` unchanged.
//!
//! ## State and recordables
//!
//! * Status: `V_m` (mV, absolute, initial −70).
//! * Recordables (NEST's list): `I_syn_ex`, `I_syn_in` (pA), `V_m` (mV). NEST 3.10's multimeter
//!   records `V_m` **relative to E_L** (0 at rest) although GetStatus shows it absolute; nestor
//!   records what NEST records.
//!
//! ## Events
//!
//! * Sends: spikes.
//! * Receives: spikes on receptor 0 (pA; weight·multiplicity ≥ 0 → excitatory, otherwise
//!   inhibitory), currents on receptor 0 (pA). Other receptors: `UnknownReceptorType`.
//!
//! ## References
//!
//! 1. Hill S, Tononi G (2005). Modeling sleep and wakefulness in the thalamocortical system.
//!    J Neurophysiol 93:1671–1698. doi:10.1152/jn.00915.2004
//! 2. Tsodyks M, Uziel A, Markram H (2000). Synchrony generation in recurrent networks with
//!    frequency-dependent synapses. J Neurosci 20:RC50. doi:10.1523/JNEUROSCI.20-01-j0003.2000
//! 3. Rotter S, Diesmann M (1999). Exact simulation of time-invariant linear systems with
//!    applications to neuronal modeling. Biol Cybern 81:381–402. doi:10.1007/s004220050570
//!
//! ## See also
//!
//! [`crate::iaf_psc_exp`], [`crate::numerics`].

use crate::neuron::{check_positive, col, Neuron, Receptors, CH_CURRENT, CH_EX, CH_IN};
use crate::numerics::{ms_to_steps, IafPropagator};
use nestor_kernel::error::{Error, Result};
use nestor_kernel::model::{Emitter, Failure, Inputs, StepCtx};
use nestor_kernel::schema::{ParamSpec, ParamTable};
use nestor_kernel::units::Unit;

/// The status schema of `iaf_psc_exp_htum`: NEST names, units and defaults.
pub static SCHEMA: [ParamSpec; 13] = [
    ParamSpec::param("E_L", Unit::MilliVolt, -70.0, "Resting membrane potential"),
    ParamSpec::param("I_e", Unit::PicoAmpere, 0.0, "Constant input current"),
    ParamSpec::param("V_th", Unit::MilliVolt, -55.0, "Spike threshold"),
    ParamSpec::param("V_reset", Unit::MilliVolt, -70.0, "Reset potential of the membrane"),
    ParamSpec::param("C_m", Unit::PicoFarad, 250.0, "Capacitance of the membrane"),
    ParamSpec::param("tau_m", Unit::Millisecond, 10.0, "Membrane time constant"),
    ParamSpec::param("tau_syn_ex", Unit::Millisecond, 2.0, "Decay time of the excitatory synaptic current"),
    ParamSpec::param("tau_syn_in", Unit::Millisecond, 2.0, "Decay time of the inhibitory synaptic current"),
    ParamSpec::param("t_ref_abs", Unit::Millisecond, 2.0, "Absolute refractory period (V_m clamped)"),
    ParamSpec::param("t_ref_tot", Unit::Millisecond, 2.0, "Total refractory period (no spikes)"),
    ParamSpec::state("V_m", Unit::MilliVolt, -70.0, "Membrane potential"),
    ParamSpec::param("tau_minus", Unit::Millisecond, 20.0, "Time constant of the K- trace read by STDP synapses"),
    ParamSpec::param("tau_minus_triplet", Unit::Millisecond, 110.0, "Time constant of the triplet K- trace"),
];

const E_L: usize = col(&SCHEMA, "E_L");
const I_E: usize = col(&SCHEMA, "I_e");
const V_TH: usize = col(&SCHEMA, "V_th");
const V_RESET: usize = col(&SCHEMA, "V_reset");
const C_M: usize = col(&SCHEMA, "C_m");
const TAU_M: usize = col(&SCHEMA, "tau_m");
const TAU_EX: usize = col(&SCHEMA, "tau_syn_ex");
const TAU_IN: usize = col(&SCHEMA, "tau_syn_in");
const T_REF_ABS: usize = col(&SCHEMA, "t_ref_abs");
const T_REF_TOT: usize = col(&SCHEMA, "t_ref_tot");
const V_M: usize = col(&SCHEMA, "V_m");

/// Recordables in NEST's order; `V_m` is read from the internal (relative) state.
const RECORDABLES: &[&str] = &["I_syn_ex", "I_syn_in", "V_m"];
const REC_I_SYN_EX: usize = 0;
const REC_I_SYN_IN: usize = 1;

/// One neuron's propagators and parameters in the form `update` uses.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Consts {
    p11_ex: f64,
    p11_in: f64,
    p22: f64,
    p21_ex: f64,
    p21_in: f64,
    p20: f64,
    i_e: f64,
    /// V_th − E_L and V_reset − E_L, mV.
    theta: f64,
    v_reset: f64,
    e_l: f64,
    ref_abs: i64,
    ref_tot: i64,
}

/// A chunk's internal state; the table holds the absolute V_m.
#[derive(Debug, Clone)]
pub struct IafPscExpHtum {
    /// V_m − E_L, mV.
    v: Vec<f64>,
    i_syn_ex: Vec<f64>,
    i_syn_in: Vec<f64>,
    /// Step current received in the previous step, pA.
    i_0: Vec<f64>,
    /// Remaining absolute and total refractory steps.
    r_abs: Vec<i64>,
    r_tot: Vec<i64>,
    consts: Vec<Consts>,
}

impl Neuron for IafPscExpHtum {
    const NAME: &'static str = "iaf_psc_exp_htum";
    const SUMMARY: &'static str =
        "Leaky integrate-and-fire model with exponential PSCs and separate absolute and total refractory periods";
    const SCHEMA: &'static [ParamSpec] = &SCHEMA;
    const RECORDABLES: &'static [&'static str] = RECORDABLES;
    const READ_NOT_TABLE: &'static [&'static str] = &["V_m"];
    const RECEPTORS: Receptors = Receptors::SignSplit;
    const WEIGHT_UNIT: Unit = Unit::PicoAmpere;

    fn new(table: &mut ParamTable) -> Self {
        let n = table.len();
        let z = vec![0.0; n];
        let v = (0..n).map(|i| table.get(V_M, i) - table.get(E_L, i)).collect();
        IafPscExpHtum {
            v,
            i_syn_ex: z.clone(),
            i_syn_in: z.clone(),
            i_0: z,
            r_abs: vec![0; n],
            r_tot: vec![0; n],
            consts: Vec::new(),
        }
    }

    fn check(row: &[f64]) -> Result<()> {
        // NEST compares the values relative to E_L; the order is the same for absolute ones.
        if row[V_RESET] - row[E_L] >= row[V_TH] - row[E_L] {
            return Err(Error::bad_property(format!(
                "Reset potential must be smaller than threshold (got V_reset = {} mV, V_th = {} mV).",
                row[V_RESET], row[V_TH]
            )));
        }
        if row[T_REF_ABS] > row[T_REF_TOT] {
            return Err(Error::bad_property(format!(
                "Total refractory period must be larger or equal than absolute refractory time \
                 (got t_ref_tot = {} ms, t_ref_abs = {} ms).",
                row[T_REF_TOT], row[T_REF_ABS]
            )));
        }
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
                (T_REF_TOT, "t_ref_tot", "ms"),
                (T_REF_ABS, "t_ref_abs", "ms"),
            ],
            "All time constants",
        )
    }

    fn prepare(&mut self, t: &mut ParamTable, h: f64) -> Result<()> {
        let mut consts = Vec::with_capacity(t.len());
        for i in 0..t.len() {
            let (tau_m, c_m) = (t.get(TAU_M, i), t.get(C_M, i));
            let e_l = t.get(E_L, i);
            let p22 = (-h / tau_m).exp();
            let (ref_abs, ref_tot) = (ms_to_steps(t.get(T_REF_ABS, i), h), ms_to_steps(t.get(T_REF_TOT, i), h));
            for (steps, what, key, k) in
                [(ref_abs, "Absolute", "t_ref_abs", T_REF_ABS), (ref_tot, "Total", "t_ref_tot", T_REF_TOT)]
            {
                if steps < 1 {
                    return Err(Error::bad_property(format!(
                        "{what} refractory time must be at least one time step (got {key} = {} ms at resolution {h} ms).",
                        t.get(k, i)
                    )));
                }
            }
            consts.push(Consts {
                p11_ex: (-h / t.get(TAU_EX, i)).exp(),
                p11_in: (-h / t.get(TAU_IN, i)).exp(),
                p22,
                p21_ex: IafPropagator::new(t.get(TAU_EX, i), tau_m, c_m).exp(h),
                p21_in: IafPropagator::new(t.get(TAU_IN, i), tau_m, c_m).exp(h),
                p20: tau_m / c_m * (1.0 - p22),
                i_e: t.get(I_E, i),
                theta: t.get(V_TH, i) - e_l,
                v_reset: t.get(V_RESET, i) - e_l,
                e_l,
                ref_abs,
                ref_tot,
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
        let v_m = table.col_mut(V_M);
        for i in 0..self.v.len() {
            let c = &self.consts[i];
            // NEST's order of operations, for bitwise agreement.
            if self.r_abs[i] == 0 {
                self.v[i] = self.v[i] * c.p22
                    + self.i_syn_ex[i] * c.p21_ex
                    + self.i_syn_in[i] * c.p21_in
                    + (c.i_e + self.i_0[i]) * c.p20;
            } else {
                self.r_abs[i] -= 1;
            }
            self.i_syn_ex[i] *= c.p11_ex;
            self.i_syn_in[i] *= c.p11_in;
            self.i_syn_ex[i] += in_ex[i];
            self.i_syn_in[i] += in_in[i];
            if self.r_tot[i] == 0 {
                if self.v[i] >= c.theta {
                    self.r_abs[i] = c.ref_abs;
                    self.r_tot[i] = c.ref_tot;
                    self.v[i] = c.v_reset;
                    out.spike(i);
                }
            } else {
                self.r_tot[i] -= 1;
            }
            self.i_0[i] = in_i[i];
            v_m[i] = self.v[i] + c.e_l;
        }
        Ok(())
    }

    fn read(&self, table: &ParamTable, var: usize, i: usize) -> f64 {
        match var {
            REC_I_SYN_EX => self.i_syn_ex[i],
            REC_I_SYN_IN => self.i_syn_in[i],
            // NEST records the internal V_m − E_L. Before the first run the internal value may
            // not yet follow a SetStatus, so it is derived from the table then.
            _ if self.consts.is_empty() => table.get(V_M, i) - table.get(E_L, i),
            _ => self.v[i],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::neuron::testing::{nodes, run};
    use nestor_kernel::error::ErrorKind;
    use nestor_kernel::model::Env;

    const REC_V_M: usize = 2;

    #[test]
    fn dc_response_is_recorded_relative_to_e_l() {
        // Oracle: V(t) − E_L = R I (1 − e^{−t/τ_m}), R = τ_m / C_m, which NEST's multimeter shows
        // (relative to E_L), while GetStatus shows the absolute V_m.
        let mut nd = nodes::<IafPscExpHtum>(1);
        nd.table_mut().set(I_E, 0, 300.0); // R I = 12 mV < 15 mV
        let (rec, spikes) = run(&mut nd, 0.1, 1000, |_, _| 0.0);
        assert!(spikes.is_empty());
        for (k, x) in rec.iter().enumerate() {
            let t = (k + 1) as f64 * 0.1;
            let exact = 10.0 / 250.0 * 300.0 * (1.0 - (-t / 10.0).exp());
            assert!((x[REC_V_M] - exact).abs() < 1e-12, "t = {t}: {} vs {exact}", x[REC_V_M]);
        }
        let abs = nd.table().get(V_M, 0);
        assert!((abs - (-70.0 + rec[999][REC_V_M])).abs() < 1e-12);
    }

    #[test]
    fn psc_response_matches_closed_form() {
        // Oracle: I_syn = w e^{−s/τ_s}; for τ_s = 2 ms, τ_m = 10 ms:
        // V − E_L = w/C · τ_s τ_m/(τ_m − τ_s) · (e^{−s/τ_m} − e^{−s/τ_s}).
        let (ts, tm, c) = (2.0_f64, 10.0_f64, 250.0_f64);
        for (ch, rec_i, w) in [(CH_EX, REC_I_SYN_EX, 100.0), (CH_IN, REC_I_SYN_IN, -100.0)] {
            let mut nd = nodes::<IafPscExpHtum>(1);
            let (rec, _) = run(&mut nd, 0.1, 300, |t, k| if t == 0 && k == ch { w } else { 0.0 });
            for (k, x) in rec.iter().enumerate() {
                let s = k as f64 * 0.1;
                let v = w / c * ts * tm / (tm - ts) * ((-s / tm).exp() - (-s / ts).exp());
                assert!((x[REC_V_M] - v).abs() < 1e-12, "k = {k}");
                assert!((x[rec_i] - w * (-s / ts).exp()).abs() < 1e-11, "k = {k}");
            }
        }
    }

    #[test]
    fn absolute_and_total_refractory_periods() {
        // Oracle (the model's definition): after a spike V_m stays at V_reset for t_ref_abs
        // (whole steps), then evolves, but no spike comes before t_ref_tot has passed; with a
        // drive far above threshold the next spike follows in the first step allowed, i.e.
        // every t_ref_tot/h + 1 steps.
        let mut nd = nodes::<IafPscExpHtum>(1);
        nd.table_mut().set(I_E, 0, 1e6);
        nd.table_mut().set(T_REF_ABS, 0, 0.5);
        nd.table_mut().set(T_REF_TOT, 0, 1.25); // 13 steps
        let (rec, spikes) = run(&mut nd, 0.1, 200, |_, _| 0.0);
        assert!(spikes.len() > 3);
        assert!(spikes.windows(2).all(|w| w[1] - w[0] == 14), "{spikes:?}");
        let s0 = spikes[0] as usize - 1;
        // Clamped at V_reset (0 relative) at the spike and for 5 more steps, then rising.
        assert!(rec[s0..=s0 + 5].iter().all(|x| x[REC_V_M] == 0.0));
        assert!(rec[s0 + 6][REC_V_M] > 15.0, "above threshold while totally refractory");
    }

    #[test]
    fn checks_use_nest_messages_with_values() {
        let nd = nodes::<IafPscExpHtum>(1);
        let base = nd.table().row(0);
        for (k, x, msg) in [
            (V_RESET, -55.0, "Reset potential must be smaller than threshold"),
            (T_REF_ABS, 3.0, "Total refractory period must be larger or equal than absolute refractory time"),
            (C_M, 0.0, "Capacitance must be strictly positive"),
            (TAU_M, 0.0, "All time constants must be strictly positive"),
            (TAU_IN, -2.0, "All time constants must be strictly positive"),
        ] {
            let mut row = base.clone();
            row[k] = x;
            let e = nd.validate(&row).unwrap_err();
            assert_eq!(e.kind, ErrorKind::BadProperty);
            assert!(e.message.contains(msg), "{}", e.message);
            assert!(e.message.contains(&format!("= {x} ")), "{}", e.message);
        }
        let mut row = base.clone();
        row[T_REF_ABS] = 0.0;
        let e = nd.validate(&row).unwrap_err();
        assert!(e.message.contains("All time constants must be strictly positive (got t_ref_abs = 0 ms)"));
        assert!(nd.validate(&base).is_ok());
    }

    #[test]
    fn refractory_times_below_one_step_are_refused_at_simulate() {
        // Oracle: NEST's calibration throws for the absolute period first, then the total one.
        let env = Env { resolution: 0.1, now: 0, min_delay: 1, max_delay: 1 };
        let mut nd = nodes::<IafPscExpHtum>(1);
        nd.table_mut().set(T_REF_ABS, 0, 0.0001);
        nd.table_mut().set(T_REF_TOT, 0, 0.0002);
        let e = nd.prepare(&env).unwrap_err();
        assert!(e.message.starts_with("Absolute refractory time must be at least one time step"), "{}", e.message);
        nd.table_mut().set(T_REF_ABS, 0, 0.1);
        nd.table_mut().set(T_REF_TOT, 0, 0.0002);
        let e = nd.prepare(&env).unwrap_err();
        assert_eq!(e.kind, ErrorKind::BadProperty);
        assert!(e.message.starts_with("Total refractory time must be at least one time step"), "{}", e.message);
    }
}
