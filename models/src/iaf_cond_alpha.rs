//! # iaf_cond_alpha — leaky integrate-and-fire neuron with alpha-shaped conductance synapses
//!
//! A leaky integrate-and-fire neuron with a hard threshold, a fixed absolute refractory period
//! and conductance-based synapses with α-shaped conductances normalised so that a spike of
//! weight w gives a peak conductance of w nS at t = τ_syn (Meffin et al. 2004; Bernander et al.
//! 1991). Integrated with the adaptive RKF45 scheme NEST uses ([`crate::rkf45`]), as NEST's
//! model `iaf_cond_alpha` (NEST 3.10).
//!
//! ## Equations
//!
//! ```text
//! C_m dV_m/dt = −g_L (V − E_L) − g_ex (V − E_ex) − g_in (V − E_in) + I_e + I_stim
//! d(dg_X)/dt = −dg_X / τ_syn,X        dg_X/dt = dg_X − g_X / τ_syn,X      (X = ex, in)
//! V = V_reset while refractory, otherwise min(V_m, V_th)   (inside the right-hand side)
//! ```
//!
//! One simulation step: integrate over h (dV_m/dt = 0 while refractory); then, if refractory,
//! count down and clamp V_m to V_reset, else if V_m ≥ V_th emit a spike, set V_m = V_reset and
//! start t_ref (whole steps, NEST's rounding); then add the spike input of the step to dg_ex /
//! dg_in, scaled by e/τ_syn (weight > 0 → excitatory, otherwise inhibitory with the sign
//! flipped). Step currents received in a step act during the next step (`I_stim`).
//!
//! ## Parameters
//!
//! | NEST name    | unit | default | meaning                                  |
//! |--------------|------|---------|------------------------------------------|
//! | `V_th`       | mV   | −55     | spike threshold                          |
//! | `V_reset`    | mV   | −60     | reset potential                          |
//! | `t_ref`      | ms   | 2       | absolute refractory period               |
//! | `g_L`        | nS   | 16.6667 | leak conductance                         |
//! | `C_m`        | pF   | 250     | membrane capacitance                     |
//! | `E_ex`       | mV   | 0       | excitatory reversal potential            |
//! | `E_in`       | mV   | −85     | inhibitory reversal potential            |
//! | `E_L`        | mV   | −70     | leak reversal potential                  |
//! | `tau_syn_ex` | ms   | 0.2     | decay time of the excitatory conductance |
//! | `tau_syn_in` | ms   | 2       | decay time of the inhibitory conductance |
//! | `I_e`        | pA   | 0       | constant input current                   |
//!
//! Checks (NEST's order, each a `BadProperty`): `V_reset < V_th`, `C_m > 0`, `t_ref >= 0`,
//! `tau_syn_ex, tau_syn_in > 0`. Unlike the `iaf_psc_*` models, voltages are absolute: setting
//! `E_L` changes nothing else.
//!
//! ## State and recordables
//!
//! * Status: `V_m` (mV, initial −70 = E_L), `g_ex`, `dg_ex`, `g_in`, `dg_in` (nS and nS/ms,
//!   initial 0).
//! * Recordables (NEST's list): `V_m`, `g_ex`, `g_in`, `t_ref_remaining` (ms).
//!
//! ## Events
//!
//! * Sends: spikes.
//! * Receives: spikes on receptor 0 (weight·multiplicity in nS; positive → excitatory, otherwise
//!   inhibitory with the sign flipped), currents on receptor 0 (pA). Other receptors:
//!   `UnknownReceptorType`.
//!
//! ## Numerics
//!
//! RKF45 with NEST's error control (absolute 1e-3, relative 0) and NEST's per-neuron integration
//! step carried over between steps. Traces agree with NEST 3.10 within the `adaptive` validation
//! band (`validation/TOLERANCES.md`).
//!
//! ## References
//!
//! 1. Meffin H, Burkitt AN, Grayden DB (2004). An analytical model for the large, fluctuating
//!    synaptic conductance state typical of neocortical neurons in vivo. J Comput Neurosci
//!    16:159–175. doi:10.1023/B:JCNS.0000014108.03012.81
//! 2. Bernander Ö, Douglas RJ, Martin KAC, Koch C (1991). Synaptic background activity influences
//!    spatiotemporal integration in single pyramidal cells. PNAS 88:11569–11573.
//!    doi:10.1073/pnas.88.24.11569
//!
//! ## See also
//!
//! [`crate::iaf_cond_exp`], [`crate::hh_cond_exp_traub`], [`crate::rkf45`], [`crate::neuron`].

use crate::iaf_cond_exp::validate_cond_iaf;
use crate::neuron::{failure, gather, scatter, Neuron, Receptors, CH_CURRENT, CH_EX, CH_IN};
use crate::numerics::ms_to_steps;
use crate::rkf45::{evolve_block, Ode, Tolerance, LANES};
use nestor_kernel::error::Result;
use nestor_kernel::model::{Emitter, Failure, Inputs, StepCtx};
use nestor_kernel::schema::{ParamSpec, ParamTable};
use nestor_kernel::units::Unit;

const V_TH: usize = 0;
const V_RESET: usize = 1;
const T_REF: usize = 2;
const G_L: usize = 3;
const C_M: usize = 4;
const E_EX: usize = 5;
const E_IN: usize = 6;
const E_L: usize = 7;
const TAU_SYN_EX: usize = 8;
const TAU_SYN_IN: usize = 9;
const I_E: usize = 10;
const V_M: usize = 11;
const G_EX: usize = 12;
const DG_EX: usize = 13;
const G_IN: usize = 14;
const DG_IN: usize = 15;

/// The status schema of `iaf_cond_alpha`: NEST names, units and defaults.
pub static SCHEMA: [ParamSpec; 18] = [
    ParamSpec::param("V_th", Unit::MilliVolt, -55.0, "Spike threshold"),
    ParamSpec::param("V_reset", Unit::MilliVolt, -60.0, "Reset potential of the membrane"),
    ParamSpec::param("t_ref", Unit::Millisecond, 2.0, "Duration of refractory period"),
    ParamSpec::param("g_L", Unit::NanoSiemens, 16.6667, "Leak conductance"),
    ParamSpec::param("C_m", Unit::PicoFarad, 250.0, "Capacitance of the membrane"),
    ParamSpec::param("E_ex", Unit::MilliVolt, 0.0, "Excitatory reversal potential"),
    ParamSpec::param("E_in", Unit::MilliVolt, -85.0, "Inhibitory reversal potential"),
    ParamSpec::param("E_L", Unit::MilliVolt, -70.0, "Leak reversal potential"),
    ParamSpec::param("tau_syn_ex", Unit::Millisecond, 0.2, "Rise time of the excitatory conductance"),
    ParamSpec::param("tau_syn_in", Unit::Millisecond, 2.0, "Rise time of the inhibitory conductance"),
    ParamSpec::param("I_e", Unit::PicoAmpere, 0.0, "Constant input current"),
    ParamSpec::state("V_m", Unit::MilliVolt, -70.0, "Membrane potential"),
    ParamSpec::state("g_ex", Unit::NanoSiemens, 0.0, "Excitatory synaptic conductance"),
    ParamSpec::state("dg_ex", Unit::Dimensionless, 0.0, "Derivative of the excitatory conductance (nS/ms)"),
    ParamSpec::state("g_in", Unit::NanoSiemens, 0.0, "Inhibitory synaptic conductance"),
    ParamSpec::state("dg_in", Unit::Dimensionless, 0.0, "Derivative of the inhibitory conductance (nS/ms)"),
    ParamSpec::param("tau_minus", Unit::Millisecond, 20.0, "Time constant of the K- trace read by STDP synapses"),
    ParamSpec::param("tau_minus_triplet", Unit::Millisecond, 110.0, "Time constant of the triplet K- trace"),
];

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
    /// e/τ_syn,ex: dg_ex jump per nS of weight.
    ps_con_init_e: f64,
    /// e/τ_syn,in.
    ps_con_init_i: f64,
    ref_counts: i64,
}

/// A chunk's internal state: the table holds V_m and the conductances.
#[derive(Debug, Clone)]
pub struct IafCondAlpha {
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

/// The right-hand side of NEST's `iaf_cond_alpha_dynamics`; y = [V, dg_ex, g_ex, dg_in, g_in].
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
        f[1] = -y[1] / c.tau_ex;
        f[2] = y[1] - (y[2] / c.tau_ex);
        f[3] = -y[3] / c.tau_in;
        f[4] = y[3] - (y[4] / c.tau_in);
    }
}

impl Neuron for IafCondAlpha {
    const NAME: &'static str = "iaf_cond_alpha";
    const SUMMARY: &'static str =
        "Leaky integrate-and-fire model with alpha-shaped conductance synapses (adaptive RKF45)";
    const SCHEMA: &'static [ParamSpec] = &SCHEMA;
    const RECORDABLES: &'static [&'static str] = &["V_m", "g_ex", "g_in", "t_ref_remaining"];
    const RECEPTORS: Receptors = Receptors::SignSplit;
    const WEIGHT_UNIT: Unit = Unit::NanoSiemens;

    fn new(table: &mut ParamTable) -> Self {
        let n = table.len();
        IafCondAlpha { r: vec![0; n], i_stim: vec![0.0; n], h_int: vec![0.0; n], consts: Vec::new(), h: 0.1 }
    }

    fn check(row: &[f64]) -> Result<()> {
        validate_cond_iaf(row, [V_RESET, V_TH, C_M, T_REF, TAU_SYN_EX, TAU_SYN_IN])
    }

    fn prepare(&mut self, t: &mut ParamTable, h: f64) -> Result<()> {
        self.h = h;
        self.consts = (0..t.len())
            .map(|i| {
                let (tau_ex, tau_in) = (t.get(TAU_SYN_EX, i), t.get(TAU_SYN_IN, i));
                Consts {
                    v_th: t.get(V_TH, i),
                    v_reset: t.get(V_RESET, i),
                    g_l: t.get(G_L, i),
                    c_m: t.get(C_M, i),
                    e_ex: t.get(E_EX, i),
                    e_in: t.get(E_IN, i),
                    e_l: t.get(E_L, i),
                    tau_ex,
                    tau_in,
                    i_e: t.get(I_E, i),
                    ps_con_init_e: 1.0 * std::f64::consts::E / tau_ex,
                    ps_con_init_i: 1.0 * std::f64::consts::E / tau_in,
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
        const Y: [usize; 5] = [V_M, DG_EX, G_EX, DG_IN, G_IN];
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
                y[1] += in_ex[i] * c.ps_con_init_e;
                y[3] += -in_in[i] * c.ps_con_init_i;
                self.i_stim[i] = in_i[i];
                scatter(cols, &Y, i, y);
            }
        }
        Ok(())
    }

    fn read(&self, _table: &ParamTable, _var: usize, i: usize) -> f64 {
        // t_ref_remaining, the only recordable outside the table.
        self.h * self.r[i] as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::neuron::testing::{nodes, run};

    #[test]
    fn alpha_conductance_peaks_at_weight_after_tau() {
        // Oracle: g(s) = w (s/τ) e^{1 − s/τ} peaks at s = τ with value w.
        let mut nd = nodes::<IafCondAlpha>(1);
        nd.table_mut().set(TAU_SYN_EX, 0, 2.0);
        let (rec, _) = run(&mut nd, 0.1, 100, |t, ch| if t == 0 && ch == CH_EX { 5.0 } else { 0.0 });
        // g after step k is at s = k·h since the jump at the end of step 0.
        for (k, x) in rec.iter().map(|r| r[1]).enumerate() {
            let s = k as f64 * 0.1;
            let exact = 5.0 * s / 2.0 * (1.0 - s / 2.0).exp();
            assert!((x - exact).abs() < 1e-3, "k {k}: {x} vs {exact}");
        }
        assert!((rec[20][1] - 5.0).abs() < 1e-3);
    }

    #[test]
    fn t_ref_remaining_counts_down() {
        // Oracle: NEST's t_ref_remaining is t_ref right after the spike step.
        let mut nd = nodes::<IafCondAlpha>(1);
        nd.table_mut().set(I_E, 0, 2000.0);
        let (rec, spikes) = run(&mut nd, 0.1, 1000, |_, _| 0.0);
        let s = spikes[0] as usize;
        assert!((rec[s - 1][3] - 2.0).abs() < 1e-12);
        assert!((rec[s][3] - 1.9).abs() < 1e-12);
        assert_eq!(*nd.recordables(), ["V_m", "g_ex", "g_in", "t_ref_remaining"]);
    }
}
