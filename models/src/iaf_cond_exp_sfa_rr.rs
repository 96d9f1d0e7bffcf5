//! # iaf_cond_exp_sfa_rr — conductance-based LIF neuron with adaptation and relative refractoriness
//!
//! A leaky integrate-and-fire neuron with a hard threshold, an absolute refractory period and
//! exponential conductance synapses (as [`crate::iaf_cond_exp`]), plus two spike-triggered
//! conductances (Dayan & Abbott 2001, ch. 5.8): a slow one for spike-frequency adaptation
//! (g_sfa, towards E_sfa) and a fast one for relative refractoriness (g_rr, towards E_rr). NEST
//! 3.10's `iaf_cond_exp_sfa_rr`, integrated with the adaptive RKF45 scheme NEST uses
//! ([`crate::rkf45`], GSL's control on y with absolute error 1e-3 and relative error 0).
//!
//! ## Equations
//!
//! ```text
//! C_m dV_m/dt = −g_L (V − E_L) + I_stim + I_e − g_ex (V − E_ex) − g_in (V − E_in)
//!               − g_sfa (V − E_sfa) − g_rr (V − E_rr)
//! dg_ex/dt = −g_ex / τ_syn,ex      dg_in/dt = −g_in / τ_syn,in
//! dg_sfa/dt = −g_sfa / τ_sfa       dg_rr/dt = −g_rr / τ_rr
//! V = V_reset while refractory, otherwise min(V_m, V_th)   (inside the right-hand side)
//! ```
//!
//! One simulation step: integrate over h (dV_m/dt = 0 while refractory); add the spike input of
//! the step to g_ex / g_in (weight > 0 → g_ex += w, otherwise g_in −= w); then, if refractory,
//! count down and clamp V_m to V_reset, else if V_m ≥ V_th emit a spike, set V_m = V_reset,
//! add q_sfa to g_sfa and q_rr to g_rr and start t_ref (whole steps, NEST's rounding). Step
//! currents received in a step act during the next step (`I_stim`).
//!
//! ## Parameters
//!
//! | NEST name    | unit | default | meaning                                       |
//! |--------------|------|---------|-----------------------------------------------|
//! | `V_th`       | mV   | −57     | spike threshold                               |
//! | `V_reset`    | mV   | −70     | reset potential                               |
//! | `t_ref`      | ms   | 0.5     | absolute refractory period                    |
//! | `g_L`        | nS   | 28.95   | leak conductance                              |
//! | `C_m`        | pF   | 289.5   | membrane capacitance                          |
//! | `E_ex`       | mV   | 0       | excitatory reversal potential                 |
//! | `E_in`       | mV   | −75     | inhibitory reversal potential                 |
//! | `E_L`        | mV   | −70     | leak reversal potential                       |
//! | `tau_syn_ex` | ms   | 1.5     | decay time of the excitatory conductance      |
//! | `tau_syn_in` | ms   | 10      | decay time of the inhibitory conductance      |
//! | `I_e`        | pA   | 0       | constant input current                        |
//! | `tau_sfa`    | ms   | 110     | decay time of the adaptation conductance      |
//! | `tau_rr`     | ms   | 1.97    | decay time of the relative-refractory conductance |
//! | `E_sfa`      | mV   | −70     | reversal potential of the adaptation current  |
//! | `E_rr`       | mV   | −70     | reversal potential of the relative-refractory current |
//! | `q_sfa`      | nS   | 14.48   | jump of g_sfa at a spike                      |
//! | `q_rr`       | nS   | 3214    | jump of g_rr at a spike                       |
//!
//! Checks (NEST's order, each a `BadProperty`): `V_reset < V_th`, `C_m > 0`, `t_ref >= 0`,
//! `tau_syn_ex, tau_syn_in, tau_sfa, tau_rr > 0`. State values are not checked.
//!
//! ## State and recordables
//!
//! * Status: `V_m` (mV, initial −70 = E_L), `g_ex`, `g_in`, `g_sfa`, `g_rr` (nS, initial 0).
//! * Recordables (NEST's list): `V_m`, `g_ex`, `g_in`, `g_rr`, `g_sfa`.
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
//! 2. Dayan P, Abbott LF (2001). Theoretical neuroscience: Computational and mathematical
//!    modeling of neural systems. MIT Press (ch. 5.8, spike-rate adaptation and refractoriness).
//!
//! ## See also
//!
//! [`crate::iaf_cond_exp`], [`crate::aeif_cond_exp`], [`crate::rkf45`].

use crate::neuron::{col, failure, gather, scatter, Neuron, Receptors, CH_CURRENT, CH_EX, CH_IN};
use crate::numerics::ms_to_steps;
use crate::rkf45::{evolve_block, Ode, Tolerance, LANES};
use nestor_kernel::error::{Error, Result};
use nestor_kernel::model::{Emitter, Failure, Inputs, StepCtx};
use nestor_kernel::schema::{ParamSpec, ParamTable};
use nestor_kernel::units::Unit;

/// The status schema of `iaf_cond_exp_sfa_rr`: NEST names, units and defaults.
pub static SCHEMA: [ParamSpec; 24] = [
    ParamSpec::param("V_th", Unit::MilliVolt, -57.0, "Spike threshold"),
    ParamSpec::param("V_reset", Unit::MilliVolt, -70.0, "Reset potential of the membrane"),
    ParamSpec::param("t_ref", Unit::Millisecond, 0.5, "Duration of refractory period"),
    ParamSpec::param("g_L", Unit::NanoSiemens, 28.95, "Leak conductance"),
    ParamSpec::param("C_m", Unit::PicoFarad, 289.5, "Capacitance of the membrane"),
    ParamSpec::param("E_ex", Unit::MilliVolt, 0.0, "Excitatory reversal potential"),
    ParamSpec::param("E_in", Unit::MilliVolt, -75.0, "Inhibitory reversal potential"),
    ParamSpec::param("E_L", Unit::MilliVolt, -70.0, "Leak reversal potential"),
    ParamSpec::param("tau_syn_ex", Unit::Millisecond, 1.5, "Decay time of the excitatory conductance"),
    ParamSpec::param("tau_syn_in", Unit::Millisecond, 10.0, "Decay time of the inhibitory conductance"),
    ParamSpec::param("I_e", Unit::PicoAmpere, 0.0, "Constant input current"),
    ParamSpec::param("tau_sfa", Unit::Millisecond, 110.0, "Decay time of the adaptation conductance"),
    ParamSpec::param("tau_rr", Unit::Millisecond, 1.97, "Decay time of the relative-refractory conductance"),
    ParamSpec::param("E_sfa", Unit::MilliVolt, -70.0, "Reversal potential of the adaptation current"),
    ParamSpec::param("E_rr", Unit::MilliVolt, -70.0, "Reversal potential of the relative-refractory current"),
    ParamSpec::param("q_sfa", Unit::NanoSiemens, 14.48, "Jump of g_sfa at a spike"),
    ParamSpec::param("q_rr", Unit::NanoSiemens, 3214.0, "Jump of g_rr at a spike"),
    ParamSpec::state("V_m", Unit::MilliVolt, -70.0, "Membrane potential"),
    ParamSpec::state("g_ex", Unit::NanoSiemens, 0.0, "Excitatory synaptic conductance"),
    ParamSpec::state("g_in", Unit::NanoSiemens, 0.0, "Inhibitory synaptic conductance"),
    ParamSpec::state("g_sfa", Unit::NanoSiemens, 0.0, "Spike-frequency adaptation conductance"),
    ParamSpec::state("g_rr", Unit::NanoSiemens, 0.0, "Relative-refractory conductance"),
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
const TAU_SYN_EX: usize = col(&SCHEMA, "tau_syn_ex");
const TAU_SYN_IN: usize = col(&SCHEMA, "tau_syn_in");
const I_E: usize = col(&SCHEMA, "I_e");
const TAU_SFA: usize = col(&SCHEMA, "tau_sfa");
const TAU_RR: usize = col(&SCHEMA, "tau_rr");
const E_SFA: usize = col(&SCHEMA, "E_sfa");
const E_RR: usize = col(&SCHEMA, "E_rr");
const Q_SFA: usize = col(&SCHEMA, "q_sfa");
const Q_RR: usize = col(&SCHEMA, "q_rr");
/// The ODE state in NEST's order: V_m, g_ex, g_in, g_sfa, g_rr.
const Y: [usize; 5] =
    [col(&SCHEMA, "V_m"), col(&SCHEMA, "g_ex"), col(&SCHEMA, "g_in"), col(&SCHEMA, "g_sfa"), col(&SCHEMA, "g_rr")];

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
    tau_ex: f64,
    tau_in: f64,
    i_e: f64,
    tau_sfa: f64,
    tau_rr: f64,
    e_sfa: f64,
    e_rr: f64,
    q_sfa: f64,
    q_rr: f64,
    ref_counts: i64,
}

/// A chunk's internal state: the table holds V_m and the four conductances.
#[derive(Debug, Clone)]
pub struct IafCondExpSfaRr {
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

/// The right-hand side of NEST's `iaf_cond_exp_sfa_rr_dynamics` for one neuron.
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
        let i_syn_exc = y[1] * (v - c.e_ex);
        let i_syn_inh = y[2] * (v - c.e_in);
        let i_l = c.g_l * (v - c.e_l);
        let i_sfa = y[3] * (v - c.e_sfa);
        let i_rr = y[4] * (v - c.e_rr);
        f[0] = if self.refractory {
            0.0
        } else {
            (-i_l + self.i_stim + c.i_e - i_syn_exc - i_syn_inh - i_sfa - i_rr) / c.c_m
        };
        f[1] = -y[1] / c.tau_ex;
        f[2] = -y[2] / c.tau_in;
        f[3] = -y[3] / c.tau_sfa;
        f[4] = -y[4] / c.tau_rr;
    }
}

impl Neuron for IafCondExpSfaRr {
    const NAME: &'static str = "iaf_cond_exp_sfa_rr";
    const SUMMARY: &'static str = "Leaky integrate-and-fire model with exponential conductance synapses, spike-frequency adaptation and relative refractoriness (adaptive RKF45)";
    const SCHEMA: &'static [ParamSpec] = &SCHEMA;
    const RECORDABLES: &'static [&'static str] = &["V_m", "g_ex", "g_in", "g_rr", "g_sfa"];
    const RECEPTORS: Receptors = Receptors::SignSplit;
    const WEIGHT_UNIT: Unit = Unit::NanoSiemens;

    fn new(table: &mut ParamTable) -> Self {
        let n = table.len();
        IafCondExpSfaRr { r: vec![0; n], i_stim: vec![0.0; n], h_int: vec![0.0; n], consts: Vec::new(), h: 0.1 }
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
        let taus = [TAU_SYN_EX, TAU_SYN_IN, TAU_SFA, TAU_RR];
        if taus.iter().any(|&k| row[k] <= 0.0) {
            let got: Vec<String> = taus.iter().map(|&k| format!("{} = {} ms", SCHEMA[k].name, row[k])).collect();
            return bad("All time constants must be strictly positive.", got.join(", "));
        }
        Ok(())
    }

    fn prepare(&mut self, t: &mut ParamTable, h: f64) -> Result<()> {
        self.h = h;
        self.consts = (0..t.len())
            .map(|i| Consts {
                v_th: t.get(V_TH, i),
                v_reset: t.get(V_RESET, i),
                g_l: t.get(G_L, i),
                c_m: t.get(C_M, i),
                e_ex: t.get(E_EX, i),
                e_in: t.get(E_IN, i),
                e_l: t.get(E_L, i),
                tau_ex: t.get(TAU_SYN_EX, i),
                tau_in: t.get(TAU_SYN_IN, i),
                i_e: t.get(I_E, i),
                tau_sfa: t.get(TAU_SFA, i),
                tau_rr: t.get(TAU_RR, i),
                e_sfa: t.get(E_SFA, i),
                e_rr: t.get(E_RR, i),
                q_sfa: t.get(Q_SFA, i),
                q_rr: t.get(Q_RR, i),
                ref_counts: ms_to_steps(t.get(T_REF, i), h),
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
                y[1] += in_ex[i];
                y[2] -= in_in[i];
                if self.r[i] > 0 {
                    self.r[i] -= 1;
                    y[0] = c.v_reset;
                } else if y[0] >= c.v_th {
                    self.r[i] = c.ref_counts;
                    y[0] = c.v_reset;
                    y[3] += c.q_sfa;
                    y[4] += c.q_rr;
                    out.spike(i);
                }
                self.i_stim[i] = in_i[i];
                scatter(cols, &Y, i, y);
            }
        }
        Ok(())
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
    const R_GRR: usize = 3;
    const R_GSFA: usize = 4;

    #[test]
    fn spike_triggered_conductances_jump_by_q_and_decay_exponentially() {
        // Oracle: at a spike g_sfa += q_sfa and g_rr += q_rr, then g(t) = g(0) e^{−t/τ}
        // (RKF45 with absolute error 1e-3 per step).
        let mut nd = nodes::<IafCondExpSfaRr>(1);
        nd.table_mut().set(Y[0], 0, -50.0); // above V_th: a spike in the first step
        let (rec, spikes) = run(&mut nd, 0.1, 60, |_, _| 0.0);
        assert_eq!(spikes, vec![1]);
        assert_eq!(rec[0][R_GSFA], 14.48);
        assert_eq!(rec[0][R_GRR], 3214.0);
        for (k, x) in rec.iter().enumerate() {
            let s = k as f64 * 0.1;
            assert!((x[R_GSFA] - 14.48 * (-s / 110.0).exp()).abs() < 1e-3, "k {k}");
            assert!((x[R_GRR] - 3214.0 * (-s / 1.97).exp()).abs() < 2e-3, "k {k}: {}", x[R_GRR]);
        }
    }

    #[test]
    fn refractory_clamp_lasts_t_ref() {
        // Oracle: t_ref = 0.5 ms is 5 steps at h = 0.1 ms: V_m = V_reset in the spike step and
        // the 5 steps after it.
        let mut nd = nodes::<IafCondExpSfaRr>(1);
        nd.table_mut().set(I_E, 0, 1000.0);
        let (rec, spikes) = run(&mut nd, 0.1, 1000, |_, _| 0.0);
        assert!(spikes.len() > 3);
        let s = spikes[0] as usize;
        assert!(rec[s - 1..s + 5].iter().all(|x| x[R_V] == -70.0));
        assert!(rec[s + 5][R_V] > -70.0);
    }

    #[test]
    fn adaptation_lengthens_the_intervals() {
        // Oracle: spike-frequency adaptation — with constant drive each inter-spike interval is
        // at least as long as the previous one.
        let mut nd = nodes::<IafCondExpSfaRr>(1);
        nd.table_mut().set(I_E, 0, 1000.0);
        let (_, spikes) = run(&mut nd, 0.1, 3000, |_, _| 0.0);
        assert!(spikes.len() > 5);
        let isi: Vec<i64> = spikes.windows(2).map(|w| w[1] - w[0]).collect();
        assert!(isi.windows(2).all(|w| w[1] >= w[0]), "{isi:?}");
        assert!(isi[isi.len() - 1] > isi[0]);
    }

    #[test]
    fn synaptic_conductances_jump_by_the_weight() {
        // Oracle: weight > 0 adds w to g_ex, weight ≤ 0 adds −w to g_in, after the step.
        let nd = nodes::<IafCondExpSfaRr>(1);
        assert_eq!(nd.route(0, EventKind::Spike, -3.0).unwrap(), Route::weighted(CH_IN as u16));
        let mut nd = nodes::<IafCondExpSfaRr>(1);
        let (rec, _) = run(&mut nd, 0.1, 2, |t, ch| match (t, ch) {
            (0, CH_EX) => 4.0,
            (0, CH_IN) => -3.0,
            _ => 0.0,
        });
        assert_eq!(rec[0][R_GEX], 4.0);
        assert_eq!(rec[0][R_GIN], 3.0);
    }

    #[test]
    fn checks_follow_nest() {
        let nd = nodes::<IafCondExpSfaRr>(1);
        let base = nd.table().row(0);
        for (k, x, msg) in [
            (V_RESET, -50.0, "Reset potential must be smaller than threshold."),
            (C_M, 0.0, "Capacitance must be strictly positive."),
            (T_REF, -1.0, "Refractory time cannot be negative."),
            (TAU_SYN_EX, 0.0, "All time constants must be strictly positive."),
            (TAU_SFA, 0.0, "All time constants must be strictly positive."),
            (TAU_RR, -1.0, "All time constants must be strictly positive."),
        ] {
            let mut row = base.clone();
            row[k] = x;
            let e = nd.validate(&row).unwrap_err();
            assert_eq!(e.kind, ErrorKind::BadProperty);
            assert!(e.message.starts_with(msg), "{}", e.message);
        }
        assert!(nd.validate(&base).is_ok());
        assert_eq!(nd.route(1, EventKind::Spike, 1.0).unwrap_err().kind, ErrorKind::UnknownReceptorType);
    }
}
