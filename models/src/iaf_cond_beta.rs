//! # iaf_cond_beta — leaky integrate-and-fire neuron with beta-shaped conductances
//!
//! A leaky integrate-and-fire neuron with a hard threshold, a fixed absolute refractory period
//! and conductance-based synapses whose conductances are beta functions (difference of two
//! exponentials with rise and decay time constants), normalised so that a spike of weight w
//! gives a peak of w nS (Rotter & Diesmann 1999, Roth & van Rossum 2010). NEST 3.10's
//! `iaf_cond_beta`, integrated with the adaptive RKF45 scheme NEST uses ([`crate::rkf45`], GSL's
//! control on y with absolute error 1e-3 and relative error 0).
//!
//! ## Equations
//!
//! ```text
//! C_m dV_m/dt = −g_L (V − E_L) − g_ex (V − E_ex) − g_in (V − E_in) + I_e + I_stim
//! d(dg_X)/dt = −dg_X / τ_decay,X        dg_X/dt = dg_X − g_X / τ_rise,X      (X = ex, in)
//! V = V_reset while refractory, otherwise min(V_m, V_th)   (inside the right-hand side)
//! ```
//!
//! A spike of weight w adds w·N(τ_rise, τ_decay) to dg_X, with the normalisation factor
//!
//! ```text
//! t_peak = τ_d τ_r ln(τ_d/τ_r) / (τ_d − τ_r)       N = (1/τ_r − 1/τ_d) / (e^{−t_peak/τ_d} − e^{−t_peak/τ_r})
//! ```
//!
//! or N = e/τ_d (the alpha function's factor) when |τ_d − τ_r| ≤ DBL_EPSILON or the
//! denominator is below DBL_EPSILON ([`beta_normalization_factor`]). So
//! g(t) = w (e^{−t/τ_d} − e^{−t/τ_r}) / (e^{−t_peak/τ_d} − e^{−t_peak/τ_r}), with peak w at
//! t_peak (for τ_r = τ_d: g(t) = w (t/τ) e^{1 − t/τ}, peak w at τ).
//!
//! One simulation step: integrate over h (dV_m/dt = 0 while refractory); then, if refractory,
//! count down and clamp V_m to V_reset, else if V_m ≥ V_th emit a spike, set V_m = V_reset and
//! start t_ref (whole steps, NEST's rounding); then add the spike input of the step to dg_ex
//! (weight > 0) or dg_in (weight ≤ 0, sign flipped). Step currents received in a step act
//! during the next step (`I_stim`).
//!
//! ## Parameters
//!
//! | NEST name      | unit | default | meaning                                   |
//! |----------------|------|---------|-------------------------------------------|
//! | `V_th`         | mV   | −55     | spike threshold                           |
//! | `V_reset`      | mV   | −60     | reset potential                           |
//! | `t_ref`        | ms   | 2       | absolute refractory period                |
//! | `g_L`          | nS   | 16.6667 | leak conductance                          |
//! | `C_m`          | pF   | 250     | membrane capacitance                      |
//! | `E_ex`         | mV   | 0       | excitatory reversal potential             |
//! | `E_in`         | mV   | −85     | inhibitory reversal potential             |
//! | `E_L`          | mV   | −70     | leak reversal potential                   |
//! | `tau_rise_ex`  | ms   | 0.2     | rise time of the excitatory conductance   |
//! | `tau_decay_ex` | ms   | 0.2     | decay time of the excitatory conductance  |
//! | `tau_rise_in`  | ms   | 2       | rise time of the inhibitory conductance   |
//! | `tau_decay_in` | ms   | 2       | decay time of the inhibitory conductance  |
//! | `I_e`          | pA   | 0       | constant input current                    |
//!
//! Checks (NEST's order, each a `BadProperty`): `V_reset < V_th`, `C_m > 0`, `t_ref >= 0`,
//! `tau_rise_ex, tau_decay_ex, tau_rise_in, tau_decay_in > 0`. State values are not checked
//! (NEST accepts negative conductances).
//!
//! ## State and recordables
//!
//! * Status: `V_m` (mV, initial −70 = E_L), `g_ex`, `g_in` (nS), `dg_ex`, `dg_in` (nS/ms), all
//!   initially 0.
//! * Recordables (NEST's list): `V_m`, `g_ex`, `g_in`, `t_ref_remaining` (ms: the remaining
//!   refractory steps times h).
//!
//! ## Events
//!
//! * Sends: spikes.
//! * Receives: spikes on receptor 0 (weight·multiplicity in nS; positive → excitatory, otherwise
//!   inhibitory with the sign flipped), currents on receptor 0 (pA). Other receptors:
//!   `UnknownReceptorType`.
//!
//! ## References
//!
//! 1. Meffin H, Burkitt AN, Grayden DB (2004). An analytical model for the large, fluctuating
//!    synaptic conductance state typical of neocortical neurons in vivo. J Comput Neurosci
//!    16:159–175. doi:10.1023/B:JCNS.0000014108.03012.81
//! 2. Bernander Ö, Douglas RJ, Martin KAC, Koch C (1991). Synaptic background activity
//!    influences spatiotemporal integration in single pyramidal cells. PNAS 88:11569–11573.
//!    doi:10.1073/pnas.88.24.11569
//! 3. Rotter S, Diesmann M (1999). Exact digital simulation of time-invariant linear systems
//!    with applications to neuronal modeling. Biol Cybern 81:381–402. doi:10.1007/s004220050570
//! 4. Roth A, van Rossum MCW (2010). Modeling synapses. In: De Schutter E (ed), Computational
//!    Modeling Methods for Neuroscientists, MIT Press. doi:10.7551/mitpress/9780262013277.003.0007
//!
//! ## See also
//!
//! [`crate::iaf_cond_exp`], [`crate::iaf_cond_alpha`], [`crate::rkf45`].

use crate::neuron::{col, failure, gather, scatter, Neuron, Receptors, CH_CURRENT, CH_EX, CH_IN};
use crate::numerics::ms_to_steps;
use crate::rkf45::{evolve_block, Ode, Tolerance, LANES};
use nestor_kernel::error::{Error, Result};
use nestor_kernel::model::{Emitter, Failure, Inputs, StepCtx};
use nestor_kernel::schema::{ParamSpec, ParamTable};
use nestor_kernel::units::Unit;

/// The status schema of `iaf_cond_beta`: NEST names, units and defaults.
pub static SCHEMA: [ParamSpec; 20] = [
    ParamSpec::param("V_th", Unit::MilliVolt, -55.0, "Spike threshold"),
    ParamSpec::param("V_reset", Unit::MilliVolt, -60.0, "Reset potential of the membrane"),
    ParamSpec::param("t_ref", Unit::Millisecond, 2.0, "Duration of refractory period"),
    ParamSpec::param("g_L", Unit::NanoSiemens, 16.6667, "Leak conductance"),
    ParamSpec::param("C_m", Unit::PicoFarad, 250.0, "Capacitance of the membrane"),
    ParamSpec::param("E_ex", Unit::MilliVolt, 0.0, "Excitatory reversal potential"),
    ParamSpec::param("E_in", Unit::MilliVolt, -85.0, "Inhibitory reversal potential"),
    ParamSpec::param("E_L", Unit::MilliVolt, -70.0, "Leak reversal potential"),
    ParamSpec::param("tau_rise_ex", Unit::Millisecond, 0.2, "Rise time of the excitatory conductance"),
    ParamSpec::param("tau_decay_ex", Unit::Millisecond, 0.2, "Decay time of the excitatory conductance"),
    ParamSpec::param("tau_rise_in", Unit::Millisecond, 2.0, "Rise time of the inhibitory conductance"),
    ParamSpec::param("tau_decay_in", Unit::Millisecond, 2.0, "Decay time of the inhibitory conductance"),
    ParamSpec::param("I_e", Unit::PicoAmpere, 0.0, "Constant input current"),
    ParamSpec::state("V_m", Unit::MilliVolt, -70.0, "Membrane potential"),
    ParamSpec::state("g_ex", Unit::NanoSiemens, 0.0, "Excitatory synaptic conductance"),
    ParamSpec::state("dg_ex", Unit::Dimensionless, 0.0, "Derivative of g_ex (nS/ms)"),
    ParamSpec::state("g_in", Unit::NanoSiemens, 0.0, "Inhibitory synaptic conductance"),
    ParamSpec::state("dg_in", Unit::Dimensionless, 0.0, "Derivative of g_in (nS/ms)"),
    ParamSpec::param("tau_minus", Unit::Millisecond, 20.0, "Time constant of the K- trace read by STDP synapses"),
    ParamSpec::param("tau_minus_triplet", Unit::Millisecond, 110.0, "Time constant of the triplet K- trace"),
];

const V_TH: usize = col(&SCHEMA, "V_th");
const V_RESET: usize = col(&SCHEMA, "V_reset");
const T_REF: usize = col(&SCHEMA, "t_ref");
const G_L: usize = col(&SCHEMA, "g_L");
const C_M: usize = col(&SCHEMA, "C_m");
const E_EX: usize = col(&SCHEMA, "E_ex");
const E_IN: usize = col(&SCHEMA, "E_in");
const E_L: usize = col(&SCHEMA, "E_L");
const TAU_RISE_EX: usize = col(&SCHEMA, "tau_rise_ex");
const TAU_DECAY_EX: usize = col(&SCHEMA, "tau_decay_ex");
const TAU_RISE_IN: usize = col(&SCHEMA, "tau_rise_in");
const TAU_DECAY_IN: usize = col(&SCHEMA, "tau_decay_in");
const I_E: usize = col(&SCHEMA, "I_e");
/// The ODE state in NEST's order: V_m, dg_ex, g_ex, dg_in, g_in.
const Y: [usize; 5] =
    [col(&SCHEMA, "V_m"), col(&SCHEMA, "dg_ex"), col(&SCHEMA, "g_ex"), col(&SCHEMA, "dg_in"), col(&SCHEMA, "g_in")];
/// `t_ref_remaining`, the recordable outside the table.
const REC_T_REF_REMAINING: usize = 3;

/// The factor that turns a spike weight w into the jump of dg of a beta-shaped conductance with
/// rise time `tau_rise` and decay time `tau_decay` (ms), so that the conductance peaks at w:
/// (1/τ_r − 1/τ_d) / (e^{−t_p/τ_d} − e^{−t_p/τ_r}) with t_p = τ_d τ_r ln(τ_d/τ_r)/(τ_d − τ_r),
/// or e/τ_d (the alpha function's factor) when |τ_d − τ_r| or the peak difference of the
/// exponentials is at most machine epsilon — NEST's `beta_normalization_factor`, in its order of
/// operations.
pub fn beta_normalization_factor(tau_rise: f64, tau_decay: f64) -> f64 {
    let tau_difference = tau_decay - tau_rise;
    let mut peak_value = 0.0;
    if tau_difference.abs() > f64::EPSILON {
        let t_peak = tau_decay * tau_rise * (tau_decay / tau_rise).ln() / tau_difference;
        peak_value = (-t_peak / tau_decay).exp() - (-t_peak / tau_rise).exp();
    }
    if peak_value.abs() < f64::EPSILON {
        std::f64::consts::E / tau_decay
    } else {
        (1. / tau_rise - 1. / tau_decay) / peak_value
    }
}

/// One node's parameters in the form `update` uses, set by `prepare`.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Consts {
    v_th: f64,
    v_reset: f64,
    g_l: f64,
    c_m: f64,
    e_ex: f64,
    e_in: f64,
    e_l: f64,
    tau_rise_ex: f64,
    tau_decay_ex: f64,
    tau_rise_in: f64,
    tau_decay_in: f64,
    i_e: f64,
    /// dg jump of a unit weight.
    g0_ex: f64,
    g0_in: f64,
    ref_counts: i64,
}

/// A chunk's internal state: the table holds V_m and the conductances.
#[derive(Debug, Clone)]
pub struct IafCondBeta {
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

/// The right-hand side of NEST's `iaf_cond_beta_dynamics` for one neuron.
struct Dynamics<'a> {
    c: &'a Consts,
    refractory: bool,
    i_stim: f64,
}

impl Ode<5> for Dynamics<'_> {
    #[inline(always)]
    fn rhs(&self, y: &[f64; 5], f: &mut [f64; 5]) {
        let c = self.c;
        let v = if self.refractory { c.v_reset } else { y[0].min(c.v_th) };
        let i_syn_exc = y[2] * (v - c.e_ex);
        let i_syn_inh = y[4] * (v - c.e_in);
        let i_leak = c.g_l * (v - c.e_l);
        f[0] = if self.refractory { 0.0 } else { (-i_leak - i_syn_exc - i_syn_inh + self.i_stim + c.i_e) / c.c_m };
        f[1] = -y[1] / c.tau_decay_ex;
        f[2] = y[1] - (y[2] / c.tau_rise_ex);
        f[3] = -y[3] / c.tau_decay_in;
        f[4] = y[3] - (y[4] / c.tau_rise_in);
    }
}

impl Neuron for IafCondBeta {
    const NAME: &'static str = "iaf_cond_beta";
    const SUMMARY: &'static str =
        "Leaky integrate-and-fire model with beta-shaped conductance synapses (adaptive RKF45)";
    const SCHEMA: &'static [ParamSpec] = &SCHEMA;
    const RECORDABLES: &'static [&'static str] = &["V_m", "g_ex", "g_in", "t_ref_remaining"];
    const RECEPTORS: Receptors = Receptors::SignSplit;
    const WEIGHT_UNIT: Unit = Unit::NanoSiemens;

    fn new(table: &mut ParamTable) -> Self {
        let n = table.len();
        IafCondBeta { r: vec![0; n], i_stim: vec![0.0; n], h_int: vec![0.0; n], consts: Vec::new(), h: 0.1 }
    }

    fn check(row: &[f64]) -> Result<()> {
        let bad = |msg: &str, got: String| Err(Error::bad_property(format!("{msg} (got {got})")));
        if row[V_RESET] >= row[V_TH] {
            return bad(
                "Reset potential must be smaller than threshold.",
                format!("V_reset = {} mV, V_th = {} mV", row[V_RESET], row[V_TH]),
            );
        }
        if row[C_M] <= 0.0 {
            return bad("Capacitance must be strictly positive.", format!("C_m = {} pF", row[C_M]));
        }
        if row[T_REF] < 0.0 {
            return bad("Refractory time cannot be negative.", format!("t_ref = {} ms", row[T_REF]));
        }
        let taus = [TAU_RISE_EX, TAU_DECAY_EX, TAU_RISE_IN, TAU_DECAY_IN];
        if taus.iter().any(|&k| row[k] <= 0.0) {
            let got: Vec<String> = taus.iter().map(|&k| format!("{} = {} ms", SCHEMA[k].name, row[k])).collect();
            return bad("All time constants must be strictly positive.", got.join(", "));
        }
        Ok(())
    }

    fn prepare(&mut self, t: &mut ParamTable, h: f64) -> Result<()> {
        self.h = h;
        self.consts = (0..t.len())
            .map(|i| {
                let (tau_rise_ex, tau_decay_ex) = (t.get(TAU_RISE_EX, i), t.get(TAU_DECAY_EX, i));
                let (tau_rise_in, tau_decay_in) = (t.get(TAU_RISE_IN, i), t.get(TAU_DECAY_IN, i));
                Consts {
                    v_th: t.get(V_TH, i),
                    v_reset: t.get(V_RESET, i),
                    g_l: t.get(G_L, i),
                    c_m: t.get(C_M, i),
                    e_ex: t.get(E_EX, i),
                    e_in: t.get(E_IN, i),
                    e_l: t.get(E_L, i),
                    tau_rise_ex,
                    tau_decay_ex,
                    tau_rise_in,
                    tau_decay_in,
                    i_e: t.get(I_E, i),
                    g0_ex: beta_normalization_factor(tau_rise_ex, tau_decay_ex),
                    g0_in: beta_normalization_factor(tau_rise_in, tau_decay_in),
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
                let c = &self.consts[i];
                (
                    Dynamics { c, refractory: self.r[i] > 0, i_stim: self.i_stim[i] },
                    Tolerance::NEST,
                    gather(cols, &Y, i),
                )
            });
            for item in block.neurons() {
                let (i, _, y) = item.map_err(|(i, m)| failure(i, ctx.t, m))?;
                let c = &self.consts[i];
                if self.r[i] > 0 {
                    self.r[i] -= 1;
                    y[0] = c.v_reset;
                } else if y[0] >= c.v_th {
                    self.r[i] = c.ref_counts;
                    y[0] = c.v_reset;
                    out.spike(i);
                }
                y[1] += in_ex[i] * c.g0_ex;
                y[3] += -in_in[i] * c.g0_in;
                self.i_stim[i] = in_i[i];
                scatter(cols, &Y, i, y);
            }
        }
        Ok(())
    }

    fn read(&self, _table: &ParamTable, var: usize, i: usize) -> f64 {
        match var {
            REC_T_REF_REMAINING => self.h * self.r[i] as f64,
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
    const R_V: usize = 0;
    const R_GEX: usize = 1;
    const R_GIN: usize = 2;
    const R_TREF: usize = 3;

    #[test]
    fn normalization_factor_closed_forms() {
        // Oracle: τ_r = 1, τ_d = 2: t_peak = 2 ln 2, peak = e^{−ln 2} − e^{−2 ln 2} = 1/4, so
        // N = (1 − 1/2)/(1/4) = 2; equal time constants give the alpha factor e/τ.
        assert!((beta_normalization_factor(1.0, 2.0) - 2.0).abs() < 1e-14);
        assert_eq!(beta_normalization_factor(0.2, 0.2), std::f64::consts::E / 0.2);
        assert_eq!(beta_normalization_factor(2.0, 2.0 + 1e-17), std::f64::consts::E / 2.0);
        // τ_r → τ_d tends to the alpha factor.
        let near = beta_normalization_factor(2.0, 2.0 * (1.0 + 1e-6));
        assert!((near - std::f64::consts::E / 2.0).abs() < 1e-5, "{near}");
    }

    #[test]
    fn beta_conductance_follows_the_closed_form_and_peaks_at_the_weight() {
        // Oracle: g(t) = w (e^{−t/τ_d} − e^{−t/τ_r}) / (e^{−t_p/τ_d} − e^{−t_p/τ_r}), maximal
        // (= w) at t_p = τ_d τ_r ln(τ_d/τ_r)/(τ_d − τ_r); RKF45 with absolute error 1e-3 per step.
        let (w, tr, td, h) = (5.0, 0.5, 2.0, 0.01);
        let mut nd = nodes::<IafCondBeta>(1);
        nd.table_mut().set(TAU_RISE_EX, 0, tr);
        nd.table_mut().set(TAU_DECAY_EX, 0, td);
        let (rec, _) = run(&mut nd, h, 1000, |t, ch| if t == 0 && ch == CH_EX { w } else { 0.0 });
        let tp = td * tr * (td / tr).ln() / (td - tr);
        let peak = (-tp / td).exp() - (-tp / tr).exp();
        for (k, x) in rec.iter().enumerate() {
            let s = k as f64 * h;
            let exact = w * ((-s / td).exp() - (-s / tr).exp()) / peak;
            assert!((x[R_GEX] - exact).abs() < 2e-3, "k {k}: {} vs {exact}", x[R_GEX]);
        }
        let gmax = rec.iter().map(|x| x[R_GEX]).fold(f64::MIN, f64::max);
        assert!((gmax - w).abs() < 2e-3, "{gmax}");
    }

    #[test]
    fn inhibitory_weights_raise_g_in_and_hyperpolarise() {
        let nd = nodes::<IafCondBeta>(1);
        assert_eq!(nd.route(0, EventKind::Spike, -3.0).unwrap(), Route::weighted(CH_IN as u16));
        let mut nd = nodes::<IafCondBeta>(1);
        let (rec, _) = run(&mut nd, 0.1, 40, |t, ch| if t == 0 && ch == CH_IN { -3.0 } else { 0.0 });
        // τ_r = τ_d = 2 ms: alpha shape, peak 3 nS at t = 2 ms.
        assert!((rec[20][R_GIN] - 3.0).abs() < 1e-3, "{}", rec[20][R_GIN]);
        assert!(rec[39][R_V] < -70.0);
    }

    #[test]
    fn refractory_clamp_and_remaining_time() {
        // Oracle: NEST clamps V_m to V_reset for t_ref/h steps after the spike step and reports
        // t_ref_remaining = h · (remaining steps).
        let mut nd = nodes::<IafCondBeta>(1);
        nd.table_mut().set(I_E, 0, 1000.0);
        let (rec, spikes) = run(&mut nd, 0.1, 1000, |_, _| 0.0);
        assert!(spikes.len() > 3);
        let s = spikes[0] as usize;
        assert_eq!(rec[s - 1][R_TREF], 0.1 * 20.0);
        for k in 0..20 {
            assert_eq!(rec[s - 1 + k][R_V], -60.0);
            assert!((rec[s - 1 + k][R_TREF] - 0.1 * (20 - k) as f64).abs() < 1e-12);
        }
        assert_eq!(rec[s + 19][R_TREF], 0.0);
        assert!(rec[s + 20][R_V] > -60.0);
    }

    #[test]
    fn dc_steady_state_below_threshold() {
        // Oracle: with I_e alone V relaxes to E_L + I_e/g_L.
        let mut nd = nodes::<IafCondBeta>(1);
        nd.table_mut().set(I_E, 0, 200.0);
        let (rec, spikes) = run(&mut nd, 0.1, 3000, |_, _| 0.0);
        assert!(spikes.is_empty());
        assert!((rec[2999][R_V] - (-70.0 + 200.0 / 16.6667)).abs() < 1e-3);
    }

    #[test]
    fn checks_follow_nest() {
        let nd = nodes::<IafCondBeta>(1);
        let base = nd.table().row(0);
        for (k, x, msg) in [
            (V_RESET, -50.0, "Reset potential must be smaller than threshold"),
            (C_M, 0.0, "Capacitance must be strictly positive"),
            (T_REF, -1.0, "Refractory time cannot be negative"),
            (TAU_RISE_EX, 0.0, "All time constants must be strictly positive"),
            (TAU_DECAY_EX, -1.0, "All time constants must be strictly positive"),
            (TAU_RISE_IN, 0.0, "All time constants must be strictly positive"),
            (TAU_DECAY_IN, 0.0, "All time constants must be strictly positive"),
        ] {
            let mut row = base.clone();
            row[k] = x;
            let e = nd.validate(&row).unwrap_err();
            assert_eq!(e.kind, ErrorKind::BadProperty);
            assert!(e.message.contains(msg), "{}", e.message);
        }
        // Negative conductances are accepted, as in NEST.
        let mut row = base.clone();
        row[Y[2]] = -1.0;
        assert!(nd.validate(&row).is_ok());
        assert_eq!(nd.route(1, EventKind::Spike, 1.0).unwrap_err().kind, ErrorKind::UnknownReceptorType);
    }
}
