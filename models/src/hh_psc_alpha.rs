//! # hh_psc_alpha — Hodgkin–Huxley neuron with alpha-shaped synaptic currents
//!
//! The Hodgkin–Huxley (1952) squid-axon model with sodium, potassium and leak currents, its rate
//! functions shifted so that the resting potential lies near −65 mV (Gerstner & Kistler 2002),
//! and current-based synapses whose currents are α functions normalised to a peak of w pA at
//! t = τ_syn. NEST 3.10's `hh_psc_alpha`, integrated with the adaptive RKF45 scheme NEST uses
//! ([`crate::rkf45`], GSL's control on y with absolute error 1e-3 and relative error 0).
//!
//! ## Equations
//!
//! ```text
//! C_m dV/dt = −(g_Na m³ h (V − E_Na) + g_K n⁴ (V − E_K) + g_L (V − E_L)) + I_stim + I_e + I_ex + I_in
//! dx/dt = α_x (1 − x) − β_x x                       for x = m, h, n
//! α_n = 0.01 (V + 55) / (1 − e^{−(V + 55)/10})      β_n = 0.125 e^{−(V + 65)/80}
//! α_m = 0.1 (V + 40) / (1 − e^{−(V + 40)/10})       β_m = 4 e^{−(V + 65)/18}
//! α_h = 0.07 e^{−(V + 65)/20}                       β_h = 1 / (1 + e^{−(V + 35)/10})
//! d(dI_X)/dt = −dI_X / τ_syn,X      dI_X/dt = dI_X − I_X / τ_syn,X      (X = ex, in)
//! ```
//!
//! (V in mV, t in ms, rates in 1/ms; as in NEST the removable singularities of α_n at −55 mV
//! and α_m at −40 mV are not treated specially.)
//!
//! One simulation step: remember V, integrate over h, add the spike input of the step to
//! dI_ex (weight > 0, times e/τ_syn,ex) or dI_in (weight ≤ 0, kept negative, times e/τ_syn,in).
//! Then, if refractory, count down; otherwise a spike is emitted when V ≥ 0 mV and V has
//! started to fall (V before the step > V after it), which starts a refractory period of t_ref
//! (whole steps) during which no further spike is detected. V is not reset. Step currents
//! received in a step act during the next step.
//!
//! ## Parameters
//!
//! | NEST name    | unit | default | meaning                                  |
//! |--------------|------|---------|------------------------------------------|
//! | `t_ref`      | ms   | 2       | refractory period (no spike detection)   |
//! | `g_Na`       | nS   | 12000   | sodium peak conductance                  |
//! | `g_K`        | nS   | 3600    | potassium peak conductance               |
//! | `g_L`        | nS   | 30      | leak conductance                         |
//! | `C_m`        | pF   | 100     | membrane capacitance                     |
//! | `E_Na`       | mV   | 50      | sodium reversal potential                |
//! | `E_K`        | mV   | −77     | potassium reversal potential             |
//! | `E_L`        | mV   | −54.402 | leak reversal potential                  |
//! | `tau_syn_ex` | ms   | 0.2     | rise time of the excitatory current      |
//! | `tau_syn_in` | ms   | 2       | rise time of the inhibitory current      |
//! | `I_e`        | pA   | 0       | constant input current                   |
//!
//! Checks (NEST's order, each a `BadProperty`): `C_m > 0`, `t_ref >= 0`,
//! `tau_syn_ex, tau_syn_in > 0`, `g_K, g_Na, g_L >= 0`, then `Act_m, Inact_h, Act_n >= 0`.
//!
//! ## State and recordables
//!
//! * Status: `V_m` (mV, initial −65, a fixed number, not E_L), `Act_m`, `Inact_h`, `Act_n`
//!   (initial: the steady states α/(α+β) at V = −65 mV).
//! * Recordables (NEST's list): `Act_m`, `Act_n`, `I_syn_ex`, `I_syn_in` (pA; the inhibitory
//!   current is negative), `Inact_h`, `V_m`.
//!
//! ## Events
//!
//! * Sends: spikes.
//! * Receives: spikes on receptor 0 (pA; weight > 0 excitatory, otherwise inhibitory),
//!   currents on receptor 0 (pA). Other receptors: `UnknownReceptorType`.
//!
//! ## References
//!
//! 1. Hodgkin AL, Huxley AF (1952). A quantitative description of membrane current and its
//!    application to conduction and excitation in nerve. J Physiol 117:500–544.
//!    doi:10.1113/jphysiol.1952.sp004764
//! 2. Gerstner W, Kistler W (2002). Spiking neuron models: Single neurons, populations,
//!    plasticity. Cambridge University Press. doi:10.1017/CBO9780511815706
//! 3. Dayan P, Abbott LF (2001). Theoretical neuroscience: Computational and mathematical
//!    modeling of neural systems. MIT Press.
//!
//! ## See also
//!
//! [`crate::hh_cond_exp_traub`], [`crate::iaf_psc_alpha`], [`crate::rkf45`].

use crate::neuron::{col, failure, gather, scatter, Neuron, Receptors, CH_CURRENT, CH_EX, CH_IN};
use crate::numerics::ms_to_steps;
use crate::rkf45::{evolve_block, Ode, Tolerance, LANES};
use nestor_kernel::error::{Error, Result};
use nestor_kernel::model::{Emitter, Failure, Inputs, StepCtx};
use nestor_kernel::schema::{ParamSpec, ParamTable};
use nestor_kernel::units::Unit;

/// The status schema of `hh_psc_alpha`: NEST names, units and defaults. The gating variables'
/// defaults are replaced by their steady state at −65 mV when nodes are made.
pub static SCHEMA: [ParamSpec; 17] = [
    ParamSpec::param("t_ref", Unit::Millisecond, 2.0, "Refractory period (no spike detection)"),
    ParamSpec::param("g_Na", Unit::NanoSiemens, 12000.0, "Sodium peak conductance"),
    ParamSpec::param("g_K", Unit::NanoSiemens, 3600.0, "Potassium peak conductance"),
    ParamSpec::param("g_L", Unit::NanoSiemens, 30.0, "Leak conductance"),
    ParamSpec::param("C_m", Unit::PicoFarad, 100.0, "Capacitance of the membrane"),
    ParamSpec::param("E_Na", Unit::MilliVolt, 50.0, "Sodium reversal potential"),
    ParamSpec::param("E_K", Unit::MilliVolt, -77.0, "Potassium reversal potential"),
    ParamSpec::param("E_L", Unit::MilliVolt, -54.402, "Leak reversal potential"),
    ParamSpec::param("tau_syn_ex", Unit::Millisecond, 0.2, "Rise time of the excitatory synaptic current"),
    ParamSpec::param("tau_syn_in", Unit::Millisecond, 2.0, "Rise time of the inhibitory synaptic current"),
    ParamSpec::param("I_e", Unit::PicoAmpere, 0.0, "Constant input current"),
    ParamSpec::state("V_m", Unit::MilliVolt, -65.0, "Membrane potential"),
    ParamSpec::state("Act_m", Unit::Dimensionless, 0.0, "Sodium activation m"),
    ParamSpec::state("Inact_h", Unit::Dimensionless, 0.0, "Sodium inactivation h"),
    ParamSpec::state("Act_n", Unit::Dimensionless, 0.0, "Potassium activation n"),
    ParamSpec::param("tau_minus", Unit::Millisecond, 20.0, "Time constant of the K- trace read by STDP synapses"),
    ParamSpec::param("tau_minus_triplet", Unit::Millisecond, 110.0, "Time constant of the triplet K- trace"),
];

const T_REF: usize = col(&SCHEMA, "t_ref");
const G_NA: usize = col(&SCHEMA, "g_Na");
const G_K: usize = col(&SCHEMA, "g_K");
const G_L: usize = col(&SCHEMA, "g_L");
const C_M: usize = col(&SCHEMA, "C_m");
const E_NA: usize = col(&SCHEMA, "E_Na");
const E_K: usize = col(&SCHEMA, "E_K");
const E_L: usize = col(&SCHEMA, "E_L");
const TAU_EX: usize = col(&SCHEMA, "tau_syn_ex");
const TAU_IN: usize = col(&SCHEMA, "tau_syn_in");
const I_E: usize = col(&SCHEMA, "I_e");
const V_M: usize = col(&SCHEMA, "V_m");
const ACT_M: usize = col(&SCHEMA, "Act_m");
const INACT_H: usize = col(&SCHEMA, "Inact_h");
const ACT_N: usize = col(&SCHEMA, "Act_n");
/// The table part of the ODE state in NEST's order: V_m, m, h, n.
const Y: [usize; 4] = [V_M, ACT_M, INACT_H, ACT_N];
/// The recordables outside the table.
const REC_I_EX: usize = 2;
const REC_I_IN: usize = 3;

/// Rates (α_n, β_n, α_m, β_m, α_h, β_h) at V, in NEST's order of operations.
#[inline(always)]
fn rates(v: f64) -> [f64; 6] {
    let alpha_n = (0.01 * (v + 55.)) / (1. - (-(v + 55.) / 10.).exp());
    let beta_n = 0.125 * (-(v + 65.) / 80.).exp();
    let alpha_m = (0.1 * (v + 40.)) / (1. - (-(v + 40.) / 10.).exp());
    let beta_m = 4. * (-(v + 65.) / 18.).exp();
    let alpha_h = 0.07 * (-(v + 65.) / 20.).exp();
    let beta_h = 1. / (1. + (-(v + 35.) / 10.).exp());
    [alpha_n, beta_n, alpha_m, beta_m, alpha_h, beta_h]
}

/// Steady-state (m, h, n) at `v`, as NEST initialises the gating variables.
fn steady_state(v: f64) -> [f64; 3] {
    let [an, bn, am, bm, ah, bh] = rates(v);
    [am / (am + bm), ah / (ah + bh), an / (an + bn)]
}

/// One node's parameters in the form `update` uses, set by `prepare`.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Consts {
    g_na: f64,
    g_k: f64,
    g_l: f64,
    c_m: f64,
    e_na: f64,
    e_k: f64,
    e_l: f64,
    tau_ex: f64,
    tau_in: f64,
    i_e: f64,
    /// e/τ_syn: the dI jump of a unit weight.
    psc0_ex: f64,
    psc0_in: f64,
    ref_counts: i64,
}

/// A chunk's internal state: the table holds V_m and the gating variables; the synaptic
/// currents and the rest are here.
#[derive(Debug, Clone)]
pub struct HhPscAlpha {
    /// (dI_ex, I_ex, dI_in, I_in) per neuron, pA/ms and pA.
    syn: Vec<[f64; 4]>,
    /// Remaining refractory steps.
    r: Vec<i64>,
    /// Step current of the previous step, pA.
    i_stim: Vec<f64>,
    /// Suggested integration step carried between steps (NEST's `IntegrationStep_`), ms.
    h_int: Vec<f64>,
    consts: Vec<Consts>,
    /// Simulation step (ms, on NEST's tic grid).
    h: f64,
}

/// The right-hand side of NEST's `hh_psc_alpha_dynamics`; y = [V, m, h, n, dI_ex, I_ex, dI_in,
/// I_in].
struct Dynamics<'a> {
    c: &'a Consts,
    i_stim: f64,
}

impl Ode<8> for Dynamics<'_> {
    // NEST's model has no check on the state: at the removable singularities of its rate
    // functions (0/0 at exactly representable voltages) the state becomes NaN and NEST carries it
    // on until the user sets the state again. So do we.
    const STOPS_ON_NON_FINITE: bool = false;

    #[inline(always)]
    fn rhs(&self, y: &[f64; 8], f: &mut [f64; 8]) {
        let c = self.c;
        let v = y[0];
        let [alpha_n, beta_n, alpha_m, beta_m, alpha_h, beta_h] = rates(v);
        let i_na = c.g_na * y[1] * y[1] * y[1] * y[2] * (v - c.e_na);
        let i_k = c.g_k * y[3] * y[3] * y[3] * y[3] * (v - c.e_k);
        let i_l = c.g_l * (v - c.e_l);
        f[0] = (-(i_na + i_k + i_l) + self.i_stim + c.i_e + y[5] + y[7]) / c.c_m;
        f[1] = alpha_m * (1. - y[1]) - beta_m * y[1];
        f[2] = alpha_h * (1. - y[2]) - beta_h * y[2];
        f[3] = alpha_n * (1. - y[3]) - beta_n * y[3];
        f[4] = -y[4] / c.tau_ex;
        f[5] = y[4] - (y[5] / c.tau_ex);
        f[6] = -y[6] / c.tau_in;
        f[7] = y[6] - (y[7] / c.tau_in);
    }
}

impl Neuron for HhPscAlpha {
    const NAME: &'static str = "hh_psc_alpha";
    const SUMMARY: &'static str = "Hodgkin-Huxley neuron model with alpha-shaped synaptic currents (adaptive RKF45)";
    const SCHEMA: &'static [ParamSpec] = &SCHEMA;
    const RECORDABLES: &'static [&'static str] = &["Act_m", "Act_n", "I_syn_ex", "I_syn_in", "Inact_h", "V_m"];
    const RECEPTORS: Receptors = Receptors::SignSplit;
    const WEIGHT_UNIT: Unit = Unit::PicoAmpere;

    fn new(table: &mut ParamTable) -> Self {
        let n = table.len();
        let [m, h, nn] = steady_state(SCHEMA[V_M].default);
        table.col_mut(ACT_M).fill(m);
        table.col_mut(INACT_H).fill(h);
        table.col_mut(ACT_N).fill(nn);
        HhPscAlpha {
            syn: vec![[0.0; 4]; n],
            r: vec![0; n],
            i_stim: vec![0.0; n],
            h_int: vec![0.0; n],
            consts: Vec::new(),
            h: 0.1,
        }
    }

    fn check(row: &[f64]) -> Result<()> {
        if row[C_M] <= 0.0 {
            return Err(Error::bad_property(format!(
                "Capacitance must be strictly positive. (got C_m = {} pF)",
                row[C_M]
            )));
        }
        if row[T_REF] < 0.0 {
            return Err(Error::bad_property(format!(
                "Refractory time cannot be negative. (got t_ref = {} ms)",
                row[T_REF]
            )));
        }
        if row[TAU_EX] <= 0.0 || row[TAU_IN] <= 0.0 {
            return Err(Error::bad_property(format!(
                "All time constants must be strictly positive. (got tau_syn_ex = {} ms, tau_syn_in = {} ms)",
                row[TAU_EX], row[TAU_IN]
            )));
        }
        if row[G_K] < 0.0 || row[G_NA] < 0.0 || row[G_L] < 0.0 {
            return Err(Error::bad_property(format!(
                "All conductances must be non-negative. (got g_K = {} nS, g_Na = {} nS, g_L = {} nS)",
                row[G_K], row[G_NA], row[G_L]
            )));
        }
        if row[ACT_M] < 0.0 || row[INACT_H] < 0.0 || row[ACT_N] < 0.0 {
            return Err(Error::bad_property(format!(
                "All (in)activation variables must be non-negative. (got Act_m = {}, Inact_h = {}, Act_n = {})",
                row[ACT_M], row[INACT_H], row[ACT_N]
            )));
        }
        Ok(())
    }

    fn prepare(&mut self, t: &mut ParamTable, h: f64) -> Result<()> {
        self.h = h;
        self.consts = (0..t.len())
            .map(|i| {
                let (tau_ex, tau_in) = (t.get(TAU_EX, i), t.get(TAU_IN, i));
                Consts {
                    g_na: t.get(G_NA, i),
                    g_k: t.get(G_K, i),
                    g_l: t.get(G_L, i),
                    c_m: t.get(C_M, i),
                    e_na: t.get(E_NA, i),
                    e_k: t.get(E_K, i),
                    e_l: t.get(E_L, i),
                    tau_ex,
                    tau_in,
                    i_e: t.get(I_E, i),
                    psc0_ex: 1.0 * std::f64::consts::E / tau_ex,
                    psc0_in: 1.0 * std::f64::consts::E / tau_in,
                    ref_counts: ms_to_steps(t.get(T_REF, i), h),
                }
            })
            .collect();
        Ok(())
    }

    fn update(
        &mut self,
        table: &mut ParamTable,
        ctx: &StepCtx,
        inputs: &Inputs<'_>,
        out: &mut Emitter<'_>,
    ) -> std::result::Result<(), Failure> {
        let (in_ex, in_in, in_i) = (inputs.channel(CH_EX), inputs.channel(CH_IN), inputs.channel(CH_CURRENT));
        let cols = table.cols_mut();
        let n = self.r.len();
        for base in (0..n).step_by(LANES) {
            let mut block = evolve_block(base, n, self.h, &mut self.h_int, |i| {
                let [v, m, hh, n] = gather(cols, &Y, i);
                let [di_ex, i_ex, di_in, i_inh] = self.syn[i];
                let y = [v, m, hh, n, di_ex, i_ex, di_in, i_inh];
                (Dynamics { c: &self.consts[i], i_stim: self.i_stim[i] }, Tolerance::NEST, y)
            });
            for item in block.neurons() {
                let (i, _, y) = item.map_err(|(i, m)| failure(i, ctx.t, m))?;
                let c = &self.consts[i];
                let u_old = cols[Y[0]][i];
                y[4] += in_ex[i] * c.psc0_ex;
                y[6] += in_in[i] * c.psc0_in;
                if self.r[i] > 0 {
                    self.r[i] -= 1;
                } else if y[0] >= 0.0 && u_old > y[0] {
                    self.r[i] = c.ref_counts;
                    out.spike(i);
                }
                self.i_stim[i] = in_i[i];
                scatter(cols, &Y, i, &[y[0], y[1], y[2], y[3]]);
                self.syn[i] = [y[4], y[5], y[6], y[7]];
            }
        }
        Ok(())
    }

    fn read(&self, _table: &ParamTable, var: usize, i: usize) -> f64 {
        match var {
            REC_I_EX => self.syn[i][1],
            REC_I_IN => self.syn[i][3],
            _ => 0.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::neuron::testing::{nodes, run};
    use nestor_kernel::error::ErrorKind;
    use nestor_kernel::model::{EventKind, Route};

    /// Recordable columns in `run`'s output.
    const R_M: usize = 0;
    const R_N: usize = 1;
    const R_H: usize = 4;
    const R_V: usize = 5;

    #[test]
    fn defaults_are_nest_steady_state() {
        // Oracle: nest.GetDefaults('hh_psc_alpha') in NEST 3.10.
        let nd = nodes::<HhPscAlpha>(1);
        let t = nd.table();
        assert_eq!(t.get(V_M, 0), -65.0);
        assert!((t.get(ACT_M, 0) - 0.05293248525724958).abs() < 1e-16);
        assert!((t.get(INACT_H, 0) - 0.5961207535084603).abs() < 1e-15);
        assert!((t.get(ACT_N, 0) - 0.3176769140606974).abs() < 1e-15);
        assert_eq!(*nd.recordables(), ["Act_m", "Act_n", "I_syn_ex", "I_syn_in", "Inact_h", "V_m"]);
    }

    #[test]
    fn alpha_current_peaks_at_the_weight() {
        // Oracle: I(t) = w (t/τ) e^{1 − t/τ} after a spike of weight w: peak w at t = τ (the
        // current does not depend on V); RKF45 with absolute tolerance 1e-3 per step.
        let (w, tau, h) = (100.0, 0.5, 0.05);
        let mut nd = nodes::<HhPscAlpha>(1);
        nd.table_mut().set(TAU_EX, 0, tau);
        let (rec, _) = run(&mut nd, h, 60, |t, ch| if t == 0 && ch == CH_EX { w } else { 0.0 });
        for (k, x) in rec.iter().enumerate() {
            let s = k as f64 * h;
            let exact = w * s / tau * (1.0 - s / tau).exp();
            assert!((x[REC_I_EX] - exact).abs() < 2e-3, "k {k}: {} vs {exact}", x[REC_I_EX]);
        }
        assert!((rec[10][REC_I_EX] - w).abs() < 1e-3);
    }

    #[test]
    fn inhibitory_current_is_negative_and_hyperpolarises() {
        let nd = nodes::<HhPscAlpha>(1);
        assert_eq!(nd.route(0, EventKind::Spike, -3.0).unwrap(), Route::weighted(CH_IN as u16));
        assert_eq!(nd.route(0, EventKind::Spike, 3.0).unwrap(), Route::weighted(CH_EX as u16));
        let mut nd = nodes::<HhPscAlpha>(1);
        let (rec, _) = run(&mut nd, 0.1, 40, |t, ch| if t == 0 && ch == CH_IN { -50.0 } else { 0.0 });
        // Peak −50 pA at t = τ_syn,in = 2 ms (step 20).
        assert!((rec[20][REC_I_IN] + 50.0).abs() < 1e-3, "{}", rec[20][REC_I_IN]);
        let mut rest = nodes::<HhPscAlpha>(1);
        let (base, _) = run(&mut rest, 0.1, 40, |_, _| 0.0);
        assert!(rec[39][R_V] < base[39][R_V] - 0.1);
    }

    #[test]
    fn spikes_are_detected_on_the_falling_step_above_zero() {
        // Oracle: NEST's rule — a spike at the end of the first step in which V ≥ 0 mV and V
        // fell during the step, no detection within t_ref after it, and no reset of V.
        let mut nd = nodes::<HhPscAlpha>(1);
        nd.table_mut().set(I_E, 0, 700.0);
        let (rec, spikes) = run(&mut nd, 0.1, 2000, |_, _| 0.0);
        assert!(spikes.len() >= 8, "{spikes:?}");
        let v = |s: i64| rec[(s - 1) as usize][R_V];
        let mut last = i64::MIN / 2;
        for &s in &spikes {
            assert!(v(s) >= 0.0 && v(s - 1) > v(s), "step {s}: {} {}", v(s - 1), v(s));
            assert!(s - last > 20);
            last = s;
        }
        let vmax = rec.iter().map(|r| r[R_V]).fold(f64::MIN, f64::max);
        assert!(vmax > 20.0, "action potentials overshoot, max {vmax}");
        // Gating variables stay probabilities.
        assert!(rec.iter().all(|r| [R_M, R_H, R_N].iter().all(|&k| (0.0..=1.0).contains(&r[k]))));
    }

    #[test]
    fn a_nan_state_is_carried_on_like_nest() {
        // Oracle: NEST 3.10 — V_m = -40 mV exactly makes alpha_m 0/0; after Simulate(0.1)
        // V_m, Act_m, Act_n and Inact_h are nan, simulation goes on without an error, and the
        // other neurons (here the neighbour in the same integration lanes) are unaffected.
        let mut nd = nodes::<HhPscAlpha>(2);
        nd.table_mut().set(V_M, 0, -40.0);
        let (rec, spikes) = run(&mut nd, 0.1, 20, |_, _| 0.0);
        assert!(spikes.is_empty());
        assert!(rec.iter().all(|r| [R_M, R_H, R_N, R_V].iter().all(|&k| r[k].is_nan())));
        assert!(rec.iter().all(|r| r[REC_I_EX] == 0.0 && r[REC_I_IN] == 0.0));
        let mut lone = nodes::<HhPscAlpha>(1);
        let (lone_rec, _) = run(&mut lone, 0.1, 20, |_, _| 0.0);
        assert!(lone_rec.iter().all(|r| r[R_V].is_finite()));
        for k in [V_M, ACT_M, INACT_H, ACT_N] {
            assert_eq!(nd.table().get(k, 1).to_bits(), lone.table().get(k, 0).to_bits());
        }
    }

    #[test]
    fn checks_follow_nest() {
        let nd = nodes::<HhPscAlpha>(1);
        let base = nd.table().row(0);
        for (k, x, msg) in [
            (C_M, 0.0, "Capacitance must be strictly positive."),
            (T_REF, -1.0, "Refractory time cannot be negative."),
            (TAU_IN, 0.0, "All time constants must be strictly positive."),
            (G_L, -1.0, "All conductances must be non-negative."),
            (ACT_N, -0.1, "All (in)activation variables must be non-negative."),
        ] {
            let mut row = base.clone();
            row[k] = x;
            let e = nd.validate(&row).unwrap_err();
            assert_eq!(e.kind, ErrorKind::BadProperty);
            assert!(e.message.starts_with(msg), "{}", e.message);
        }
        // NEST checks C_m before t_ref.
        let mut row = base.clone();
        row[C_M] = -1.0;
        row[T_REF] = -1.0;
        assert!(nd.validate(&row).unwrap_err().message.contains("Capacitance"));
        assert!(nd.validate(&base).is_ok());
        assert_eq!(nd.route(2, EventKind::Spike, 1.0).unwrap_err().kind, ErrorKind::UnknownReceptorType);
    }
}
