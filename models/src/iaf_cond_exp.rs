//! # iaf_cond_exp — leaky integrate-and-fire neuron with exponential conductance synapses
//!
//! A leaky integrate-and-fire neuron with a hard threshold, a fixed absolute refractory period
//! and conductance-based synapses whose conductances jump by the synaptic weight at a spike and
//! decay exponentially (Meffin et al. 2004). Integrated with the adaptive RKF45 scheme NEST uses
//! ([`crate::rkf45`]), as NEST's model `iaf_cond_exp` (NEST 3.10); used by the Brette et al.
//! (2007) COBA benchmark.
//!
//! ## Equations
//!
//! ```text
//! C_m dV_m/dt = −g_L (V − E_L) − g_ex (V − E_ex) − g_in (V − E_in) + I_e + I_stim
//! dg_ex/dt = −g_ex / τ_syn,ex          dg_in/dt = −g_in / τ_syn,in
//! V = V_reset while refractory, otherwise min(V_m, V_th)   (inside the right-hand side)
//! ```
//!
//! One simulation step: integrate over h (dV_m/dt = 0 while refractory); add the spike input of
//! the step to g_ex / g_in (weight > 0 → g_ex += w, otherwise g_in −= w); then, if refractory,
//! count down and clamp V_m to V_reset, else if V_m ≥ V_th emit a spike, set V_m = V_reset and
//! start t_ref (whole steps, NEST's rounding). Step currents received in a step act during the
//! next step (`I_stim`).
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
//! * Status: `V_m` (mV, initial −70 = E_L), `g_ex`, `g_in` (nS, initial 0).
//! * Recordables (NEST's list): `V_m`, `g_ex`, `g_in`.
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
//! 2. Brette R et al. (2007). Simulation of networks of spiking neurons: a review of tools and
//!    strategies. J Comput Neurosci 23:349–398. doi:10.1007/s10827-007-0038-6
//!
//! ## See also
//!
//! [`crate::iaf_cond_alpha`], [`crate::hh_cond_exp_traub`], [`crate::rkf45`], [`crate::neuron`].

use crate::neuron::{failure, gather, scatter, Neuron, Receptors, CH_CURRENT, CH_EX, CH_IN};
use crate::numerics::ms_to_steps;
use crate::rkf45::{evolve_block, Ode, Tolerance, LANES};
use nestor_kernel::error::{Error, Result};
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
const G_IN: usize = 13;

/// The status schema of `iaf_cond_exp`: NEST names, units and defaults.
pub static SCHEMA: [ParamSpec; 16] = [
    ParamSpec::param("V_th", Unit::MilliVolt, -55.0, "Spike threshold"),
    ParamSpec::param("V_reset", Unit::MilliVolt, -60.0, "Reset potential of the membrane"),
    ParamSpec::param("t_ref", Unit::Millisecond, 2.0, "Duration of refractory period"),
    ParamSpec::param("g_L", Unit::NanoSiemens, 16.6667, "Leak conductance"),
    ParamSpec::param("C_m", Unit::PicoFarad, 250.0, "Capacitance of the membrane"),
    ParamSpec::param("E_ex", Unit::MilliVolt, 0.0, "Excitatory reversal potential"),
    ParamSpec::param("E_in", Unit::MilliVolt, -85.0, "Inhibitory reversal potential"),
    ParamSpec::param("E_L", Unit::MilliVolt, -70.0, "Leak reversal potential"),
    ParamSpec::param("tau_syn_ex", Unit::Millisecond, 0.2, "Decay time of the excitatory conductance"),
    ParamSpec::param("tau_syn_in", Unit::Millisecond, 2.0, "Decay time of the inhibitory conductance"),
    ParamSpec::param("I_e", Unit::PicoAmpere, 0.0, "Constant input current"),
    ParamSpec::state("V_m", Unit::MilliVolt, -70.0, "Membrane potential"),
    ParamSpec::state("g_ex", Unit::NanoSiemens, 0.0, "Excitatory synaptic conductance"),
    ParamSpec::state("g_in", Unit::NanoSiemens, 0.0, "Inhibitory synaptic conductance"),
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
    ref_counts: i64,
}

/// A chunk's internal state: the table holds V_m, g_ex, g_in.
#[derive(Debug, Clone)]
pub struct IafCondExp {
    /// Remaining refractory steps.
    r: Vec<i64>,
    /// Step current of the previous step, pA.
    i_stim: Vec<f64>,
    /// Suggested integration step carried between steps (NEST's `IntegrationStep_`), ms; 0 until
    /// the first step.
    h_int: Vec<f64>,
    consts: Vec<Consts>,
    /// Simulation step (ms, on NEST's tic grid).
    h: f64,
}

/// The right-hand side of NEST's `iaf_cond_exp_dynamics` for one neuron.
struct Dynamics<'a> {
    c: &'a Consts,
    refractory: bool,
    i_stim: f64,
}

impl Ode<3> for Dynamics<'_> {
    #[inline(always)]
    fn rhs(&self, y: &[f64; 3], f: &mut [f64; 3]) {
        let c = self.c;
        let v = if self.refractory { c.v_reset } else { y[0].min(c.v_th) };
        let i_syn_exc = y[1] * (v - c.e_ex);
        let i_syn_inh = y[2] * (v - c.e_in);
        let i_l = c.g_l * (v - c.e_l);
        f[0] = if self.refractory { 0.0 } else { (-i_l + self.i_stim + c.i_e - i_syn_exc - i_syn_inh) / c.c_m };
        f[1] = -y[1] / c.tau_ex;
        f[2] = -y[2] / c.tau_in;
    }
}

impl Neuron for IafCondExp {
    const NAME: &'static str = "iaf_cond_exp";
    const SUMMARY: &'static str =
        "Leaky integrate-and-fire model with exponential conductance synapses (adaptive RKF45)";
    const SCHEMA: &'static [ParamSpec] = &SCHEMA;
    const RECORDABLES: &'static [&'static str] = &["V_m", "g_ex", "g_in"];
    const RECEPTORS: Receptors = Receptors::SignSplit;
    const WEIGHT_UNIT: Unit = Unit::NanoSiemens;

    fn new(table: &mut ParamTable) -> Self {
        let n = table.len();
        IafCondExp { r: vec![0; n], i_stim: vec![0.0; n], h_int: vec![0.0; n], consts: Vec::new(), h: 0.1 }
    }

    fn check(row: &[f64]) -> Result<()> {
        validate_cond_iaf(row, [V_RESET, V_TH, C_M, T_REF, TAU_SYN_EX, TAU_SYN_IN])
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
        let n = self.r.len();
        let (in_ex, in_in, in_i) = (inputs.channel(CH_EX), inputs.channel(CH_IN), inputs.channel(CH_CURRENT));
        let cols = table.cols_mut();
        const Y: [usize; 3] = [V_M, G_EX, G_IN];
        for base in (0..n).step_by(LANES) {
            let mut block = evolve_block(base, n, self.h, &mut self.h_int, |i| {
                let sys = Dynamics { c: &self.consts[i], refractory: self.r[i] > 0, i_stim: self.i_stim[i] };
                (sys, Tolerance::NEST, gather(cols, &Y, i))
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
                    out.spike(i);
                }
                self.i_stim[i] = in_i[i];
                scatter(cols, &Y, i, y);
            }
        }
        Ok(())
    }
}

/// NEST's parameter checks of `iaf_cond_exp` / `iaf_cond_alpha`, in NEST's order; `k` holds the
/// columns of V_reset, V_th, C_m, t_ref, tau_syn_ex, tau_syn_in.
pub(crate) fn validate_cond_iaf(row: &[f64], k: [usize; 6]) -> Result<()> {
    let [v_reset, v_th, c_m, t_ref, tau_ex, tau_in] = k;
    if row[v_reset] >= row[v_th] {
        return Err(Error::bad_property(format!(
            "Reset potential must be smaller than threshold (got V_reset = {} mV, V_th = {} mV).",
            row[v_reset], row[v_th]
        )));
    }
    if row[c_m] <= 0.0 {
        return Err(Error::bad_property(format!("Capacitance must be strictly positive (got C_m = {} pF).", row[c_m])));
    }
    if row[t_ref] < 0.0 {
        return Err(Error::bad_property(format!(
            "Refractory time cannot be negative (got t_ref = {} ms).",
            row[t_ref]
        )));
    }
    if row[tau_ex] <= 0.0 || row[tau_in] <= 0.0 {
        return Err(Error::bad_property(format!(
            "All time constants must be strictly positive (got tau_syn_ex = {} ms, tau_syn_in = {} ms).",
            row[tau_ex], row[tau_in]
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::neuron::testing::{nodes, run};
    use nestor_kernel::error::ErrorKind;
    use nestor_kernel::model::{EventKind, Route};

    #[test]
    fn conductance_decays_exponentially() {
        // Oracle: g(t) = w e^{−t/τ}; RKF45 with absolute tolerance 1e-3 nS per step.
        let mut nd = nodes::<IafCondExp>(1);
        let (rec, _) = run(&mut nd, 0.1, 50, |t, ch| if t == 0 && ch == 0 { 10.0 } else { 0.0 });
        for (k, x) in rec.iter().enumerate() {
            let exact = 10.0 * (-(k as f64) * 0.1 / 0.2).exp();
            assert!((x[1] - exact).abs() < 1e-3, "k {k}: {} vs {exact}", x[1]);
        }
    }

    #[test]
    fn dc_steady_state_and_spiking() {
        // Oracle: with I_e the membrane relaxes to E_L + I_e / g_L below threshold.
        let mut nd = nodes::<IafCondExp>(1);
        nd.table_mut().set(I_E, 0, 200.0); // 12 mV above E_L, below V_th
        let (rec, spikes) = run(&mut nd, 0.1, 3000, |_, _| 0.0);
        assert!(spikes.is_empty());
        assert!((rec[2999][0] - (-70.0 + 200.0 / 16.6667)).abs() < 1e-3);
        let mut nd = nodes::<IafCondExp>(1);
        nd.table_mut().set(I_E, 0, 1000.0);
        let (rec, spikes) = run(&mut nd, 0.1, 1000, |_, _| 0.0);
        assert!(spikes.len() > 3);
        // Clamped to V_reset for t_ref = 20 steps after each spike.
        let s = spikes[0] as usize;
        assert!(rec[s - 1..s + 20].iter().all(|x| x[0] == -60.0));
        assert!(rec[s + 20][0] > -60.0);
    }

    #[test]
    fn inhibitory_weights_raise_g_in() {
        let nd = nodes::<IafCondExp>(1);
        assert_eq!(nd.route(0, EventKind::Spike, -3.0).unwrap(), Route::weighted(CH_IN as u16));
        let mut nd = nodes::<IafCondExp>(1);
        let (rec, _) = run(&mut nd, 0.1, 2, |t, ch| if t == 0 && ch == 1 { -3.0 } else { 0.0 });
        assert_eq!(rec[0][2], 3.0);
        assert!(rec[1][0] < -70.0);
    }

    #[test]
    fn validation_messages() {
        let nd = nodes::<IafCondExp>(1);
        let base = nd.table().row(0);
        for (k, x, msg) in [
            (V_RESET, -50.0, "Reset potential must be smaller than threshold"),
            (C_M, 0.0, "Capacitance must be strictly positive"),
            (T_REF, -1.0, "Refractory time cannot be negative"),
            (TAU_SYN_IN, 0.0, "All time constants must be strictly positive"),
        ] {
            let mut row = base.clone();
            row[k] = x;
            let e = nd.validate(&row).unwrap_err();
            assert_eq!(e.kind, ErrorKind::BadProperty);
            assert!(e.message.contains(msg), "{}", e.message);
        }
        assert!(nd.validate(&base).is_ok());
        assert_eq!(nd.route(1, EventKind::Spike, 1.0).unwrap_err().kind, ErrorKind::UnknownReceptorType);
    }
}
