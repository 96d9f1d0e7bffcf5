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
//! [`crate::iaf_cond_exp`], [`crate::hh_cond_exp_traub`], [`crate::rkf45`].

use crate::iaf_cond_exp::{route_cond, validate_cond_iaf, CH_I, CH_SYN_EX, CH_SYN_IN};
use crate::numerics::{ms_to_steps, nest_resolution};
use crate::rkf45::{integrate_step, Tolerance};
use nestor_kernel::error::Result;
use nestor_kernel::model::{Emitter, Env, EventKind, Inputs, Instance, Model, Node, NodeKind, Route, StepCtx};
use nestor_kernel::schema::{ParamSpec, ParamTable};
use nestor_kernel::units::{Quantity, Unit};

const NAME: &str = "iaf_cond_alpha";

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

const RECORDABLES: &[&str] = &["V_m", "g_ex", "g_in", "t_ref_remaining"];

/// The `iaf_cond_alpha` model (factory).
#[derive(Debug, Clone, Copy, Default)]
pub struct IafCondAlpha;

impl Model for IafCondAlpha {
    fn name(&self) -> &'static str {
        NAME
    }
    fn kind(&self) -> NodeKind {
        NodeKind::Neuron
    }
    fn doc(&self) -> &'static str {
        "Leaky integrate-and-fire model with alpha-shaped conductance synapses (adaptive RKF45)"
    }
    fn instantiate(&self, n: usize) -> Instance {
        Instance::Node(Box::new(IafCondAlphaNodes::new(n)))
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
    tau_ex: f64,
    tau_in: f64,
    i_e: f64,
    /// e/τ_syn,ex: dg_ex jump per nS of weight.
    ps_con_init_e: f64,
    /// e/τ_syn,in.
    ps_con_init_i: f64,
    ref_counts: i64,
}

/// A chunk of `iaf_cond_alpha` neurons: the table holds V_m and the conductances; the rest is
/// here.
#[derive(Debug, Clone)]
pub struct IafCondAlphaNodes {
    table: ParamTable,
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

impl IafCondAlphaNodes {
    /// `n` neurons at NEST's defaults.
    pub fn new(n: usize) -> Self {
        IafCondAlphaNodes {
            table: ParamTable::new(&SCHEMA, n),
            r: vec![0; n],
            i_stim: vec![0.0; n],
            h_int: vec![0.0; n],
            consts: Vec::new(),
            h: 0.1,
        }
    }
}

/// The right-hand side of NEST's `iaf_cond_alpha_dynamics` for one neuron; y = [V_m, dg_ex,
/// g_ex, dg_in, g_in].
#[inline(always)]
fn dynamics(c: &Consts, refractory: bool, i_stim: f64, y: &[f64; 5], f: &mut [f64; 5]) {
    let v = if refractory { c.v_reset } else { y[0].min(c.v_th) };
    let i_syn_exc = y[2] * (v - c.e_ex);
    let i_syn_inh = y[4] * (v - c.e_in);
    let i_leak = c.g_l * (v - c.e_l);
    f[0] = if refractory { 0.0 } else { (-i_leak - i_syn_exc - i_syn_inh + i_stim + c.i_e) / c.c_m };
    f[1] = -y[1] / c.tau_ex;
    f[2] = y[1] - (y[2] / c.tau_ex);
    f[3] = -y[3] / c.tau_in;
    f[4] = y[3] - (y[4] / c.tau_in);
}

impl Node for IafCondAlphaNodes {
    fn len(&self) -> usize {
        self.r.len()
    }

    fn table(&self) -> &ParamTable {
        &self.table
    }

    fn table_mut(&mut self) -> &mut ParamTable {
        &mut self.table
    }

    fn validate(&self, row: &[f64]) -> Result<()> {
        validate_cond_iaf(row, [V_RESET, V_TH, C_M, T_REF, TAU_SYN_EX, TAU_SYN_IN])
    }

    fn prepare(&mut self, env: &Env) -> Result<()> {
        let h = nest_resolution(env.resolution);
        self.h = h;
        let t = &self.table;
        self.consts.clear();
        for i in 0..self.r.len() {
            let (tau_ex, tau_in) = (t.get(TAU_SYN_EX, i), t.get(TAU_SYN_IN, i));
            self.consts.push(Consts {
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
            });
        }
        Ok(())
    }

    fn channels(&self) -> usize {
        3
    }

    fn route(&self, receptor: i64, kind: EventKind, weight: f64) -> Result<Route> {
        route_cond(NAME, receptor, kind, weight)
    }

    /// Weights given with a unit are read in NEST's unit for this model's synaptic input.
    fn weight_unit(&self, _receptor: i64) -> Option<Quantity> {
        Some(Quantity::new(1.0, Unit::NanoSiemens))
    }

    fn output(&self) -> Option<EventKind> {
        Some(EventKind::Spike)
    }

    fn update(&mut self, _ctx: &StepCtx, inputs: &Inputs<'_>, out: &mut Emitter<'_>) {
        let n = self.r.len();
        let h = self.h;
        let in_ex = &inputs.channel(CH_SYN_EX as usize)[..n];
        let in_in = &inputs.channel(CH_SYN_IN as usize)[..n];
        let in_i = &inputs.channel(CH_I as usize)[..n];
        let cols = self.table.cols_mut();
        for i in 0..n {
            let c = &self.consts[i];
            let refractory = self.r[i] > 0;
            let i_stim = self.i_stim[i];
            let mut y = [cols[V_M][i], cols[DG_EX][i], cols[G_EX][i], cols[DG_IN][i], cols[G_IN][i]];
            integrate_step(
                |y: &[f64; 5], f: &mut [f64; 5]| dynamics(c, refractory, i_stim, y, f),
                Tolerance::NEST,
                h,
                &mut self.h_int[i],
                &mut y,
            );
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
            cols[V_M][i] = y[0];
            cols[DG_EX][i] = y[1];
            cols[G_EX][i] = y[2];
            cols[DG_IN][i] = y[3];
            cols[G_IN][i] = y[4];
        }
    }

    fn recordables(&self) -> &'static [&'static str] {
        RECORDABLES
    }

    fn read(&self, var: usize, i: usize) -> f64 {
        match var {
            0 => self.table.get(V_M, i),
            1 => self.table.get(G_EX, i),
            2 => self.table.get(G_IN, i),
            _ => self.h * self.r[i] as f64,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nestor_kernel::model::LocalEvent;

    fn nodes(n: usize) -> Box<dyn Node> {
        match IafCondAlpha.instantiate(n) {
            Instance::Node(b) => b,
            Instance::Recorder(_) => panic!("iaf_cond_alpha must instantiate nodes"),
        }
    }

    #[test]
    fn alpha_conductance_peaks_at_weight_after_tau() {
        // Oracle: g(s) = w (s/τ) e^{1 − s/τ} peaks at s = τ with value w.
        let mut nd = nodes(1);
        nd.table_mut().set(TAU_SYN_EX, 0, 2.0);
        nd.prepare(&Env { resolution: 0.1, now: 0, min_delay: 1, max_delay: 1 }).unwrap();
        let mut data = vec![0.0; 3];
        let mut ev: Vec<LocalEvent> = Vec::new();
        let mut g = Vec::new();
        for t in 0..100 {
            data[0] = if t == 0 { 5.0 } else { 0.0 };
            nd.update(&StepCtx { t, h: 0.1 }, &Inputs::new(&data, 1, 1, 0), &mut Emitter::new(&mut ev));
            g.push(nd.read(1, 0));
        }
        // g after step k is at s = k·h since the jump at the end of step 0.
        for (k, x) in g.iter().enumerate() {
            let s = k as f64 * 0.1;
            let exact = 5.0 * s / 2.0 * (1.0 - s / 2.0).exp();
            assert!((x - exact).abs() < 1e-3, "k {k}: {x} vs {exact}");
        }
        assert!((g[20] - 5.0).abs() < 1e-3);
    }

    #[test]
    fn t_ref_remaining_counts_down() {
        let mut nd = nodes(1);
        nd.table_mut().set(I_E, 0, 2000.0);
        nd.prepare(&Env { resolution: 0.1, now: 0, min_delay: 1, max_delay: 1 }).unwrap();
        let data = vec![0.0; 3];
        let mut ev: Vec<LocalEvent> = Vec::new();
        let mut t = 0;
        while ev.is_empty() && t < 1000 {
            nd.update(&StepCtx { t, h: 0.1 }, &Inputs::new(&data, 1, 1, 0), &mut Emitter::new(&mut ev));
            t += 1;
        }
        assert!(!ev.is_empty());
        assert!((nd.read(3, 0) - 2.0).abs() < 1e-12);
        assert_eq!(nd.recordables(), &["V_m", "g_ex", "g_in", "t_ref_remaining"]);
    }
}
