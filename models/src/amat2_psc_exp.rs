//! # amat2_psc_exp — non-resetting leaky integrate-and-fire neuron with a multi-timescale and voltage-dependent adaptive threshold
//!
//! The augmented MAT model (AMAT2) of Yamauchi et al. (2011): MAT(2) ([`crate::mat2_psc_exp`])
//! plus a threshold component driven by the membrane potential's rate of change, with
//! exponentially decaying input currents. Integrated exactly on the time grid with NEST's
//! propagators and order of operations, as NEST 3.10's `amat2_psc_exp`.
//!
//! ## Equations
//!
//! ```text
//! dV_m/dt = −(V_m − E_L)/τ_m + (I_syn_ex + I_syn_in + I_e + I_stim)/C_m
//! i_syn,X(t) = w · e^{−t/τ_syn,X} · Θ(t)                  (jump w at the arrival, X = ex, in)
//! dH_k/dt = −H_k/τ_k,   H_k += α_k at each spike              (k = 1, 2)
//! dV_th_dv/dt = −V_th_dv/τ_v + β · dV_m/dt
//! dV_th_v/dt  = −V_th_v/τ_v + V_th_dv
//! V_th = ω + H_1 + H_2 + V_th_v
//! ```
//!
//! A spike is emitted at step t_{k+1} when V_m ≥ V_th and the neuron is not refractory; V_m
//! keeps evolving, H_1 += α_1, H_2 += α_2, and no further spike can occur for t_ref (the *total*
//! refractory period, rounded up to whole steps as NEST does). Each step h first propagates
//! V_th_v, then V_th_dv, then V_m, all from the old state, with the exact propagators of the
//! linear system (NEST's P30…P77, including its `pow` squares); then H_k decay, the currents
//! decay and receive the step's spike input, and the threshold is tested. Step currents
//! received in a step act during the following step. The propagators divide by τ_m − τ_syn,X,
//! τ_v − τ_syn,X and τ_m − τ_v, which the checks keep non-zero.
//!
//! ## Parameters
//!
//! | NEST name    | unit | default | meaning                                              |
//! |--------------|------|---------|------------------------------------------------------|
//! | `E_L`        | mV   | −70     | resting membrane potential                           |
//! | `I_e`        | pA   | 0       | constant input current                               |
//! | `C_m`        | pF   | 200     | membrane capacitance                                 |
//! | `tau_m`      | ms   | 10      | membrane time constant                               |
//! | `tau_syn_ex` | ms   | 1       | decay time of the excitatory current                 |
//! | `tau_syn_in` | ms   | 3       | decay time of the inhibitory current                 |
//! | `t_ref`      | ms   | 2       | total refractory period (no spikes; V_m not clamped) |
//! | `tau_1`      | ms   | 10      | short time constant of the threshold                 |
//! | `tau_2`      | ms   | 200     | long time constant of the threshold                  |
//! | `alpha_1`    | mV   | 10      | jump of the short threshold component at a spike     |
//! | `alpha_2`    | mV   | 0       | jump of the long threshold component at a spike      |
//! | `beta`       | 1/ms | 0       | coupling of the threshold to dV_m/dt                 |
//! | `tau_v`      | ms   | 5       | time constant of the voltage-dependent component     |
//! | `omega`      | mV   | −65     | resting threshold (absolute)                         |
//!
//! Checks (NEST's, in NEST's order, each a `BadProperty`): `C_m > 0`; `tau_m`, `tau_syn_ex`,
//! `tau_syn_in`, `t_ref`, `tau_1`, `tau_2`, `tau_v` all `> 0`; `tau_m` differs from
//! `tau_syn_ex`, `tau_syn_in` and `tau_v`; `tau_v` differs from `tau_syn_ex` and `tau_syn_in`.
//! At Simulate, a `t_ref` that rounds to less than one step is refused ("Total refractory time
//! must be at least one time step").
//!
//! As in NEST, `V_m` and `omega` are shown as absolute values but kept relative to `E_L`:
//! setting `E_L` alone leaves the absolute `V_m`, `omega` and threshold unchanged.
//!
//! ## State and recordables
//!
//! * Status: `V_m` (mV, initial −70), `V_th_alpha_1`, `V_th_alpha_2` (H_1, H_2), `V_th_v` (mV,
//!   initial 0), and the read-only `V_th` = E_L + (ω − E_L) + H_1 + H_2 + V_th_v (mV).
//!   V_th_dv and the synaptic currents are internal, as in NEST.
//! * Recordables (NEST's list): `I_syn_ex`, `I_syn_in` (pA), `V_m`, `V_th`, `V_th_v` (mV).
//!
//! ## Events
//!
//! * Sends: spikes.
//! * Receives: spikes on receptor 0 (pA; weight·multiplicity ≥ 0 → excitatory, otherwise
//!   inhibitory), currents on receptor 0 (pA). Other receptors: `UnknownReceptorType`.
//!
//! ## References
//!
//! 1. Yamauchi S, Kim H, Shinomoto S (2011). Elemental spiking neuron model for reproducing
//!    diverse firing patterns and predicting precise firing times. Front Comput Neurosci 5:42.
//!    doi:10.3389/fncom.2011.00042
//! 2. Kobayashi R, Tsubo Y, Shinomoto S (2009). Made-to-order spiking neuron model equipped
//!    with a multi-timescale adaptive threshold. Front Comput Neurosci 3:9.
//!    doi:10.3389/neuro.10.009.2009
//! 3. Rotter S, Diesmann M (1999). Exact simulation of time-invariant linear systems with
//!    applications to neuronal modeling. Biol Cybern 81:381–402. doi:10.1007/s004220050570
//!
//! ## See also
//!
//! [`crate::mat2_psc_exp`], [`crate::iaf_psc_exp`].

use crate::neuron::{check_positive, col, Neuron, Receptors, CH_CURRENT, CH_EX, CH_IN};
use crate::numerics::ms_to_steps;
use nestor_kernel::error::{Error, Result};
use nestor_kernel::model::{Emitter, Failure, Inputs, StepCtx};
use nestor_kernel::schema::{ParamSpec, ParamTable};
use nestor_kernel::units::Unit;
use nestor_kernel::value::{Dict, Value};

/// The status schema of `amat2_psc_exp`: NEST names, units and defaults.
pub static SCHEMA: [ParamSpec; 20] = [
    ParamSpec::param("E_L", Unit::MilliVolt, -70.0, "Resting membrane potential"),
    ParamSpec::param("I_e", Unit::PicoAmpere, 0.0, "Constant input current"),
    ParamSpec::param("C_m", Unit::PicoFarad, 200.0, "Capacitance of the membrane"),
    ParamSpec::param("tau_m", Unit::Millisecond, 10.0, "Membrane time constant"),
    ParamSpec::param("tau_syn_ex", Unit::Millisecond, 1.0, "Decay time of the excitatory synaptic current"),
    ParamSpec::param("tau_syn_in", Unit::Millisecond, 3.0, "Decay time of the inhibitory synaptic current"),
    ParamSpec::param("t_ref", Unit::Millisecond, 2.0, "Duration of the total refractory period"),
    ParamSpec::param("tau_1", Unit::Millisecond, 10.0, "Short time constant of the adaptive threshold"),
    ParamSpec::param("tau_2", Unit::Millisecond, 200.0, "Long time constant of the adaptive threshold"),
    ParamSpec::param("alpha_1", Unit::MilliVolt, 10.0, "Jump of the short threshold component at a spike"),
    ParamSpec::param("alpha_2", Unit::MilliVolt, 0.0, "Jump of the long threshold component at a spike"),
    ParamSpec::param("beta", Unit::PerMillisecond, 0.0, "Coupling of the threshold to the voltage derivative"),
    ParamSpec::param("tau_v", Unit::Millisecond, 5.0, "Time constant of the voltage-dependent threshold"),
    ParamSpec::param("omega", Unit::MilliVolt, -65.0, "Resting spike threshold (absolute)"),
    ParamSpec::state("V_m", Unit::MilliVolt, -70.0, "Membrane potential"),
    ParamSpec::state("V_th_alpha_1", Unit::MilliVolt, 0.0, "Short threshold component"),
    ParamSpec::state("V_th_alpha_2", Unit::MilliVolt, 0.0, "Long threshold component"),
    ParamSpec::state("V_th_v", Unit::MilliVolt, 0.0, "Voltage-dependent threshold component"),
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
const BETA: usize = col(&SCHEMA, "beta");
const TAU_V: usize = col(&SCHEMA, "tau_v");
const OMEGA: usize = col(&SCHEMA, "omega");
const V_M: usize = col(&SCHEMA, "V_m");
const V_TH_1: usize = col(&SCHEMA, "V_th_alpha_1");
const V_TH_2: usize = col(&SCHEMA, "V_th_alpha_2");
const V_TH_V: usize = col(&SCHEMA, "V_th_v");

/// Position of `I_syn_ex`, `I_syn_in` in the recordables (read from the internal state).
const REC_I_SYN_EX: usize = 0;
const REC_I_SYN_IN: usize = 1;
const REC_V_TH: usize = 3;

/// One neuron's propagators (NEST's names: 1 = I_ex, 2 = I_in, 3 = V_m, 4/5 = H_1/H_2,
/// 6 = V_th_dv, 7 = V_th_v, 0 = constant current) and parameters.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Consts {
    p11: f64,
    p22: f64,
    p33: f64,
    p44: f64,
    p55: f64,
    p66: f64,
    p77: f64,
    p30: f64,
    p31: f64,
    p32: f64,
    p60: f64,
    p61: f64,
    p62: f64,
    p63: f64,
    p70: f64,
    p71: f64,
    p72: f64,
    p73: f64,
    p76: f64,
    i_e: f64,
    /// ω − E_L, mV.
    omega: f64,
    alpha_1: f64,
    alpha_2: f64,
    e_l: f64,
    ref_counts: i64,
}

/// x², as NEST's `std::pow(x, 2)` (which compilers evaluate as one multiplication).
fn sq(x: f64) -> f64 {
    x * x
}

impl Consts {
    /// NEST's propagators for one neuron's row at resolution `h`, written in NEST's order of
    /// operations.
    fn new(t: &ParamTable, i: usize, h: f64, ref_counts: i64) -> Self {
        let (c, beta) = (t.get(C_M, i), t.get(BETA, i));
        let (taum, tau_e, tau_i, tau_v) = (t.get(TAU_M, i), t.get(TAU_EX, i), t.get(TAU_IN, i), t.get(TAU_V, i));
        let e_e = (-h / tau_e).exp();
        let e_i = (-h / tau_i).exp();
        let em = (-h / taum).exp();
        let e1 = (-h / t.get(TAU_1, i)).exp();
        let e2 = (-h / t.get(TAU_2, i)).exp();
        let e_v = (-h / tau_v).exp();
        let tau_v3 = tau_v.powf(3.0);
        // The current → V_th_dv and V_th_v propagators of one synapse (time constant tau_s,
        // decay e_s), P61/P62 and P71/P72 in NEST.
        let p6s = |tau_s: f64, e_s: f64| {
            (beta * tau_s * taum * tau_v * (e_v * (-tau_s + taum) + em * (tau_s - tau_v) + e_s * (-taum + tau_v)))
                / (c * (tau_s - taum) * (tau_s - tau_v) * (taum - tau_v))
        };
        let p7s = |tau_s: f64, e_s: f64| {
            (beta
                * tau_s
                * taum
                * tau_v
                * ((em * taum * sq(tau_s - tau_v) - e_s * tau_s * sq(taum - tau_v)) * tau_v
                    - e_v * (tau_s - taum) * (h * (tau_s - tau_v) * (taum - tau_v) + tau_s * taum * tau_v - tau_v3)))
                / (c * (tau_s - taum) * sq(tau_s - tau_v) * sq(taum - tau_v))
        };
        let e_l = t.get(E_L, i);
        Consts {
            p11: e_e,
            p22: e_i,
            p33: em,
            p44: e1,
            p55: e2,
            p66: e_v,
            p77: e_v,
            p30: (taum - em * taum) / c,
            p31: ((e_e - em) * tau_e * taum) / (c * (tau_e - taum)),
            p32: ((e_i - em) * tau_i * taum) / (c * (tau_i - taum)),
            p60: (beta * (em - e_v) * taum * tau_v) / (c * (taum - tau_v)),
            p61: p6s(tau_e, e_e),
            p62: p6s(tau_i, e_i),
            p63: (beta * (-em + e_v) * tau_v) / (taum - tau_v),
            p70: (beta * taum * tau_v * (em * taum * tau_v - e_v * (h * (taum - tau_v) + taum * tau_v)))
                / (c * sq(taum - tau_v)),
            p71: p7s(tau_e, e_e),
            p72: p7s(tau_i, e_i),
            p73: (beta * tau_v * (-(em * taum * tau_v) + e_v * (h * (taum - tau_v) + taum * tau_v))) / sq(taum - tau_v),
            p76: e_v * h,
            i_e: t.get(I_E, i),
            omega: t.get(OMEGA, i) - e_l,
            alpha_1: t.get(ALPHA_1, i),
            alpha_2: t.get(ALPHA_2, i),
            e_l,
            ref_counts,
        }
    }
}

/// A chunk's internal state; the table holds V_m (absolute), V_th_alpha_1/2 and V_th_v.
#[derive(Debug, Clone)]
pub struct Amat2PscExp {
    /// V_m − E_L, mV (the table's `V_m` mirrors it plus E_L).
    v: Vec<f64>,
    /// The derivative-like auxiliary variable of the voltage-dependent threshold, mV/ms.
    v_th_dv: Vec<f64>,
    i_syn_ex: Vec<f64>,
    i_syn_in: Vec<f64>,
    /// Step current received in the previous step, pA.
    i_0: Vec<f64>,
    /// Remaining refractory steps.
    r: Vec<i64>,
    consts: Vec<Consts>,
}

/// NEST's threshold as GetStatus and the multimeter show it: E_L + ω_rel + H_1 + H_2 + V_th_v.
fn threshold(t: &ParamTable, i: usize) -> f64 {
    let e_l = t.get(E_L, i);
    e_l + (t.get(OMEGA, i) - e_l) + t.get(V_TH_1, i) + t.get(V_TH_2, i) + t.get(V_TH_V, i)
}

impl Neuron for Amat2PscExp {
    const NAME: &'static str = "amat2_psc_exp";
    const SUMMARY: &'static str =
        "Non-resetting leaky integrate-and-fire model with exponential PSCs and adaptive, voltage-dependent threshold (AMAT2)";
    const SCHEMA: &'static [ParamSpec] = &SCHEMA;
    const RECORDABLES: &'static [&'static str] = &["I_syn_ex", "I_syn_in", "V_m", "V_th", "V_th_v"];
    const RECEPTORS: Receptors = Receptors::SignSplit;
    const WEIGHT_UNIT: Unit = Unit::PicoAmpere;

    fn new(table: &mut ParamTable) -> Self {
        let n = table.len();
        let z = vec![0.0; n];
        let v = (0..n).map(|i| table.get(V_M, i) - table.get(E_L, i)).collect();
        Amat2PscExp {
            v,
            v_th_dv: z.clone(),
            i_syn_ex: z.clone(),
            i_syn_in: z.clone(),
            i_0: z,
            r: vec![0; n],
            consts: Vec::new(),
        }
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
                (TAU_V, "tau_v", "ms"),
            ],
            "All time constants",
        )?;
        let taus = format!(
            "(got tau_m = {} ms, tau_syn_ex = {} ms, tau_syn_in = {} ms, tau_v = {} ms)",
            row[TAU_M], row[TAU_EX], row[TAU_IN], row[TAU_V]
        );
        if row[TAU_M] == row[TAU_EX] || row[TAU_M] == row[TAU_IN] || row[TAU_M] == row[TAU_V] {
            return Err(Error::bad_property(format!(
                "tau_m must differ from tau_syn_ex, tau_syn_in and tau_v. See note in documentation {taus}."
            )));
        }
        if row[TAU_V] == row[TAU_EX] || row[TAU_V] == row[TAU_IN] {
            return Err(Error::bad_property(format!(
                "tau_v must differ from tau_syn_ex, tau_syn_in and tau_m. See note in documentation {taus}."
            )));
        }
        Ok(())
    }

    fn prepare(&mut self, t: &mut ParamTable, h: f64) -> Result<()> {
        let mut consts = Vec::with_capacity(t.len());
        for i in 0..t.len() {
            let ref_counts = ms_to_steps(t.get(T_REF, i), h);
            if ref_counts < 1 {
                return Err(Error::bad_property(format!(
                    "Total refractory time must be at least one time step (got t_ref = {} ms at resolution {h} ms).",
                    t.get(T_REF, i)
                )));
            }
            let c = Consts::new(t, i, h, ref_counts);
            // V_m or E_L changed by SetStatus since the last run: the absolute V_m is the truth.
            let v_m = t.get(V_M, i);
            if self.v[i] + c.e_l != v_m {
                self.v[i] = v_m - c.e_l;
            }
            consts.push(c);
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
            // NEST's order of operations, all from the old state, for bitwise agreement.
            let (v, dv, i_ex, i_in) = (self.v[i], self.v_th_dv[i], self.i_syn_ex[i], self.i_syn_in[i]);
            let i0 = c.i_e + self.i_0[i];
            cols[V_TH_V][i] =
                i0 * c.p70 + i_ex * c.p71 + i_in * c.p72 + v * c.p73 + dv * c.p76 + cols[V_TH_V][i] * c.p77;
            self.v_th_dv[i] = i0 * c.p60 + i_ex * c.p61 + i_in * c.p62 + v * c.p63 + dv * c.p66;
            self.v[i] = i0 * c.p30 + i_ex * c.p31 + i_in * c.p32 + v * c.p33;
            cols[V_TH_1][i] *= c.p44;
            cols[V_TH_2][i] *= c.p55;
            self.i_syn_ex[i] = i_ex * c.p11 + in_ex[i];
            self.i_syn_in[i] = i_in * c.p22 + in_in[i];
            if self.r[i] == 0 {
                if self.v[i] >= c.omega + cols[V_TH_2][i] + cols[V_TH_1][i] + cols[V_TH_V][i] {
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

    fn read(&self, table: &ParamTable, var: usize, i: usize) -> f64 {
        match var {
            REC_I_SYN_EX => self.i_syn_ex[i],
            REC_I_SYN_IN => self.i_syn_in[i],
            REC_V_TH => threshold(table, i),
            _ => 0.0,
        }
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

    const REC_V_M: usize = 2;
    const REC_V_TH_V: usize = 4;

    #[test]
    fn dc_step_matches_closed_forms() {
        // Oracle: for a current I switched on at t = 0 from rest (a = 1/τ_m, b = 1/τ_v, R = τ_m/C):
        //   V − E_L = R I (1 − e^{−at}),   dV/dt = (I/C) e^{−at},
        //   V_th_v  = K/(b − a) · [(e^{−at} − e^{−bt})/(b − a) − t e^{−bt}],  K = β I / C,
        // the solution of V_th_dv' = −b V_th_dv + β dV/dt, V_th_v' = −b V_th_v + V_th_dv.
        let (i_e, beta, c, tm, tv) = (100.0, 0.2, 200.0_f64, 10.0_f64, 5.0_f64);
        let mut nd = nodes::<Amat2PscExp>(1);
        nd.table_mut().set(I_E, 0, i_e);
        nd.table_mut().set(BETA, 0, beta);
        nd.table_mut().set(OMEGA, 0, 0.0); // no spike
        let (rec, spikes) = run(&mut nd, 0.1, 1000, |_, _| 0.0);
        assert!(spikes.is_empty());
        let (a, b, k) = (1.0 / tm, 1.0 / tv, beta * i_e / c);
        for (n, x) in rec.iter().enumerate() {
            let t = (n + 1) as f64 * 0.1;
            let v = -70.0 + tm / c * i_e * (1.0 - (-a * t).exp());
            let vth_v = k / (b - a) * (((-a * t).exp() - (-b * t).exp()) / (b - a) - t * (-b * t).exp());
            assert!((x[REC_V_M] - v).abs() < 1e-12, "t = {t}: V_m {} vs {v}", x[REC_V_M]);
            assert!((x[REC_V_TH_V] - vth_v).abs() < 1e-12, "t = {t}: V_th_v {} vs {vth_v}", x[REC_V_TH_V]);
            assert!((x[REC_V_TH] - (0.0 + vth_v)).abs() < 1e-12);
        }
    }

    #[test]
    fn psc_response_matches_closed_form() {
        // Oracle: I_syn = w e^{−s/τ_s}; V − E_L = w/C · τ_s τ_m/(τ_m − τ_s) · (e^{−s/τ_m} − e^{−s/τ_s}).
        let (tm, c) = (10.0_f64, 200.0_f64);
        for (ch, rec_i, w, ts) in [(CH_EX, REC_I_SYN_EX, 100.0, 1.0_f64), (CH_IN, REC_I_SYN_IN, -100.0, 3.0_f64)] {
            let mut nd = nodes::<Amat2PscExp>(1);
            let (rec, _) = run(&mut nd, 0.1, 300, |t, k| if t == 0 && k == ch { w } else { 0.0 });
            for (k, x) in rec.iter().enumerate() {
                let s = k as f64 * 0.1;
                let v = w / c * ts * tm / (tm - ts) * ((-s / tm).exp() - (-s / ts).exp());
                assert!((x[REC_V_M] + 70.0 - v).abs() < 1e-12, "k = {k}");
                assert!((x[rec_i] - w * (-s / ts).exp()).abs() < 1e-11, "k = {k}");
            }
        }
    }

    #[test]
    fn threshold_jumps_at_spikes_and_v_is_not_reset() {
        // Oracle: with β = 0 the threshold is ω + H_1 + H_2, H_k += α_k at a spike, decaying
        // with τ_k; V_m is not reset.
        let mut nd = nodes::<Amat2PscExp>(1);
        nd.table_mut().set(ALPHA_2, 0, 1.0);
        let (rec, spikes) = run(&mut nd, 0.1, 200, |t, k| if t == 0 && k == CH_EX { 3000.0 } else { 0.0 });
        assert_eq!(spikes.len(), 1, "{spikes:?}");
        let s0 = spikes[0] as usize - 1;
        assert!(rec[s0 + 1][REC_V_M] > rec[s0][REC_V_M] - 1.0, "V_m must not be reset");
        for (k, x) in rec[s0..].iter().enumerate() {
            let s = k as f64 * 0.1;
            let exact = -65.0 + 10.0 * (-s / 10.0).exp() + (-s / 200.0).exp();
            assert!((x[REC_V_TH] - exact).abs() < 1e-12, "k = {k}: {} vs {exact}", x[REC_V_TH]);
        }
    }

    #[test]
    fn checks_use_nest_messages_with_values() {
        let nd = nodes::<Amat2PscExp>(1);
        let base = nd.table().row(0);
        for (k, x, msg) in [
            (C_M, -1.0, "Capacitance must be strictly positive"),
            (TAU_V, 0.0, "All time constants must be strictly positive"),
            (T_REF, 0.0, "All time constants must be strictly positive"),
            (TAU_EX, 10.0, "tau_m must differ from tau_syn_ex, tau_syn_in and tau_v."),
            (TAU_V, 10.0, "tau_m must differ from tau_syn_ex, tau_syn_in and tau_v."),
            (TAU_V, 3.0, "tau_v must differ from tau_syn_ex, tau_syn_in and tau_m."),
            (TAU_V, 1.0, "tau_v must differ from tau_syn_ex, tau_syn_in and tau_m."),
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
        let mut nd = nodes::<Amat2PscExp>(1);
        nd.table_mut().set(T_REF, 0, 0.0001);
        let e = nd.prepare(&Env { resolution: 0.1, now: 0, min_delay: 1, max_delay: 1 }).unwrap_err();
        assert_eq!(e.kind, ErrorKind::BadProperty);
        assert!(e.message.contains("Total refractory time must be at least one time step"), "{}", e.message);
    }

    #[test]
    fn threshold_status_is_derived() {
        // Oracle: NEST's GetStatus V_th = E_L + ω_rel + V_th_alpha_1 + V_th_alpha_2 + V_th_v.
        let mut nd = nodes::<Amat2PscExp>(1);
        nd.table_mut().set(V_TH_2, 0, 2.0);
        nd.table_mut().set(V_TH_V, 0, 0.5);
        let mut d = Dict::new();
        nd.get_extra(0, &mut d);
        assert_eq!(d.get("V_th"), Some(&Value::Double(-62.5)));
        assert_eq!(nd.recordables().to_vec(), vec!["I_syn_ex", "I_syn_in", "V_m", "V_th", "V_th_v"]);
    }
}
