//! # hh_cond_exp_traub — Hodgkin–Huxley neuron after Traub, with exponential conductance synapses
//!
//! A Hodgkin–Huxley point neuron with the sodium and potassium kinetics of Traub and Miles
//! (1991) as modified by Destexhe et al. (2001), and conductance-based synapses whose
//! conductances jump by the weight and decay exponentially. Integrated with the adaptive RKF45
//! scheme NEST uses ([`crate::rkf45`]), as NEST's model `hh_cond_exp_traub` (NEST 3.10); used by
//! the Brette et al. (2007) HH COBA benchmark.
//!
//! ## Equations
//!
//! ```text
//! C_m dV/dt = −g_Na m³ h (V − E_Na) − g_K n⁴ (V − E_K) − g_L (V − E_L)
//!             − g_ex (V − E_ex) − g_in (V − E_in) + I_e + I_stim
//! dx/dt = α_x(u) − (α_x(u) + β_x(u)) x      for x = m, h, n,   u = V − V_T
//! α_n = 0.032 (15 − u) / (e^{(15 − u)/5} − 1)     β_n = 0.5 e^{(10 − u)/40}
//! α_m = 0.32 (13 − u) / (e^{(13 − u)/4} − 1)      β_m = 0.28 (u − 40) / (e^{(u − 40)/5} − 1)
//! α_h = 0.128 e^{(17 − u)/18}                     β_h = 4 / (1 + e^{(40 − u)/5})
//! dg_ex/dt = −g_ex / τ_syn,ex          dg_in/dt = −g_in / τ_syn,in
//! ```
//!
//! One simulation step: remember V, integrate over h, add the spike input of the step to g_ex /
//! g_in (weight > 0 → g_ex += w, otherwise g_in −= w). A spike is emitted when the neuron is not
//! refractory, V ≥ V_T + 30 mV and V has started to fall (V before the step > V after it); it
//! starts a refractory period of t_ref (whole steps) during which no further spike is emitted.
//! V is not reset. Step currents received in a step act during the next step.
//!
//! ## Parameters
//!
//! | NEST name    | unit | default | meaning                                   |
//! |--------------|------|---------|-------------------------------------------|
//! | `g_Na`       | nS   | 20000   | sodium peak conductance                   |
//! | `g_K`        | nS   | 6000    | potassium peak conductance                |
//! | `g_L`        | nS   | 10      | leak conductance                          |
//! | `C_m`        | pF   | 200     | membrane capacitance                      |
//! | `E_Na`       | mV   | 50      | sodium reversal potential                 |
//! | `E_K`        | mV   | −90     | potassium reversal potential              |
//! | `E_L`        | mV   | −60     | leak reversal potential                   |
//! | `V_T`        | mV   | −63     | voltage offset of the gating kinetics     |
//! | `E_ex`       | mV   | 0       | excitatory reversal potential             |
//! | `E_in`       | mV   | −80     | inhibitory reversal potential             |
//! | `tau_syn_ex` | ms   | 5       | decay time of the excitatory conductance  |
//! | `tau_syn_in` | ms   | 10      | decay time of the inhibitory conductance  |
//! | `t_ref`      | ms   | 2       | refractory period (no spike emission)     |
//! | `I_e`        | pA   | 0       | constant input current                    |
//!
//! Checks (NEST's order, each a `BadProperty`): `C_m > 0`, `tau_syn_ex, tau_syn_in > 0`,
//! `t_ref >= 0`, `Act_m, Inact_h, Act_n >= 0`.
//!
//! ## State and recordables
//!
//! * Status: `V_m` (mV, initial E_L = −60), `Act_m`, `Inact_h`, `Act_n` (initial: the
//!   steady-state values α/(α+β) at V = −60 mV, as NEST computes them for the default E_L).
//! * Recordables (NEST's list): `Act_m`, `Act_n`, `Inact_h`, `V_m`, `g_ex`, `g_in` (nS).
//!
//! ## Events
//!
//! * Sends: spikes.
//! * Receives: spikes on receptor 0 (nS; sign of the weight selects excitatory/inhibitory),
//!   currents on receptor 0 (pA).
//!
//! ## References
//!
//! 1. Traub RD, Miles R (1991). Neuronal networks of the hippocampus. Cambridge University Press.
//! 2. Destexhe A, Rudolph M, Fellous J-M, Sejnowski TJ (2001). Fluctuating synaptic conductances
//!    recreate in vivo-like activity in neocortical neurons. Neuroscience 107:13–24.
//!    doi:10.1016/S0306-4522(01)00344-X
//! 3. Brette R et al. (2007). Simulation of networks of spiking neurons: a review of tools and
//!    strategies. J Comput Neurosci 23:349–398. doi:10.1007/s10827-007-0038-6
//!
//! ## See also
//!
//! [`crate::iaf_cond_exp`], [`crate::rkf45`].

use crate::neuron::{failure, Neuron, Receptors, CH_CURRENT, CH_EX, CH_IN};
use crate::numerics::ms_to_steps;
use crate::rkf45::{evolve_block, Ode, Tolerance, LANES};
use nestor_kernel::error::{Error, Result};
use nestor_kernel::model::{Emitter, Failure, Inputs, StepCtx};
use nestor_kernel::schema::{ParamSpec, ParamTable};
use nestor_kernel::units::Unit;

const G_NA: usize = 0;
const G_K: usize = 1;
const G_L: usize = 2;
const C_M: usize = 3;
const E_NA: usize = 4;
const E_K: usize = 5;
const E_L: usize = 6;
const V_T: usize = 7;
const E_EX: usize = 8;
const E_IN: usize = 9;
const TAU_SYN_EX: usize = 10;
const TAU_SYN_IN: usize = 11;
const T_REF: usize = 12;
const I_E: usize = 13;
const V_M: usize = 14;
const ACT_M: usize = 15;
const INACT_H: usize = 16;
const ACT_N: usize = 17;

/// The status schema of `hh_cond_exp_traub`: NEST names, units and defaults. The gating
/// variables' defaults are replaced by their steady state at E_L when nodes are made.
pub static SCHEMA: [ParamSpec; 20] = [
    ParamSpec::param("g_Na", Unit::NanoSiemens, 20000.0, "Sodium peak conductance"),
    ParamSpec::param("g_K", Unit::NanoSiemens, 6000.0, "Potassium peak conductance"),
    ParamSpec::param("g_L", Unit::NanoSiemens, 10.0, "Leak conductance"),
    ParamSpec::param("C_m", Unit::PicoFarad, 200.0, "Capacitance of the membrane"),
    ParamSpec::param("E_Na", Unit::MilliVolt, 50.0, "Sodium reversal potential"),
    ParamSpec::param("E_K", Unit::MilliVolt, -90.0, "Potassium reversal potential"),
    ParamSpec::param("E_L", Unit::MilliVolt, -60.0, "Leak reversal potential"),
    ParamSpec::param("V_T", Unit::MilliVolt, -63.0, "Voltage offset of the gating kinetics"),
    ParamSpec::param("E_ex", Unit::MilliVolt, 0.0, "Excitatory reversal potential"),
    ParamSpec::param("E_in", Unit::MilliVolt, -80.0, "Inhibitory reversal potential"),
    ParamSpec::param("tau_syn_ex", Unit::Millisecond, 5.0, "Decay time of the excitatory conductance"),
    ParamSpec::param("tau_syn_in", Unit::Millisecond, 10.0, "Decay time of the inhibitory conductance"),
    ParamSpec::param("t_ref", Unit::Millisecond, 2.0, "Refractory period (no spike emission)"),
    ParamSpec::param("I_e", Unit::PicoAmpere, 0.0, "Constant input current"),
    ParamSpec::state("V_m", Unit::MilliVolt, -60.0, "Membrane potential"),
    ParamSpec::state("Act_m", Unit::Dimensionless, 0.0, "Sodium activation m"),
    ParamSpec::state("Inact_h", Unit::Dimensionless, 0.0, "Sodium inactivation h"),
    ParamSpec::state("Act_n", Unit::Dimensionless, 0.0, "Potassium activation n"),
    ParamSpec::param("tau_minus", Unit::Millisecond, 20.0, "Time constant of the K- trace read by STDP synapses"),
    ParamSpec::param("tau_minus_triplet", Unit::Millisecond, 110.0, "Time constant of the triplet K- trace"),
];

/// Rates (α_n, β_n, α_m, β_m, α_h, β_h) at u = V − V_T, in NEST's order of operations.
#[inline(always)]
fn rates(u: f64) -> [f64; 6] {
    let alpha_n = 0.032 * (15. - u) / (((15. - u) / 5.).exp() - 1.);
    let beta_n = 0.5 * ((10. - u) / 40.).exp();
    let alpha_m = 0.32 * (13. - u) / (((13. - u) / 4.).exp() - 1.);
    let beta_m = 0.28 * (u - 40.) / (((u - 40.) / 5.).exp() - 1.);
    let alpha_h = 0.128 * ((17. - u) / 18.).exp();
    let beta_h = 4. / (1. + ((40. - u) / 5.).exp());
    [alpha_n, beta_n, alpha_m, beta_m, alpha_h, beta_h]
}

/// Steady-state (m, h, n) as NEST initialises them: the rates evaluated at `v` itself (NEST
/// does not subtract V_T here).
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
    v_t: f64,
    e_ex: f64,
    e_in: f64,
    tau_ex: f64,
    tau_in: f64,
    i_e: f64,
    ref_counts: i64,
}

/// A chunk's internal state: the table holds V_m and the gating variables; the conductances
/// and the rest are here.
#[derive(Debug, Clone)]
pub struct HhCondExpTraub {
    /// Excitatory conductance, nS.
    g_ex: Vec<f64>,
    /// Inhibitory conductance, nS.
    g_in: Vec<f64>,
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

/// The right-hand side of NEST's `hh_cond_exp_traub_dynamics`; y = [V, m, h, n, g_ex, g_in].
struct Dynamics<'a> {
    c: &'a Consts,
    i_stim: f64,
}

impl Ode<6> for Dynamics<'_> {
    // NEST's model has no check on the state: at the removable singularities of its rate
    // functions (0/0 at exactly representable voltages) the state becomes NaN and NEST carries it
    // on until the user sets the state again. So do we.
    const STOPS_ON_NON_FINITE: bool = false;

    #[inline(always)]
    fn rhs(&self, y: &[f64; 6], f: &mut [f64; 6]) {
        let c = self.c;
        let i_na = c.g_na * y[1] * y[1] * y[1] * y[2] * (y[0] - c.e_na);
        let i_k = c.g_k * y[3] * y[3] * y[3] * y[3] * (y[0] - c.e_k);
        let i_l = c.g_l * (y[0] - c.e_l);
        let i_syn_exc = y[4] * (y[0] - c.e_ex);
        let i_syn_inh = y[5] * (y[0] - c.e_in);
        f[0] = (-i_na - i_k - i_l - i_syn_exc - i_syn_inh + self.i_stim + c.i_e) / c.c_m;
        let [alpha_n, beta_n, alpha_m, beta_m, alpha_h, beta_h] = rates(y[0] - c.v_t);
        f[1] = alpha_m - (alpha_m + beta_m) * y[1];
        f[2] = alpha_h - (alpha_h + beta_h) * y[2];
        f[3] = alpha_n - (alpha_n + beta_n) * y[3];
        f[4] = -y[4] / c.tau_ex;
        f[5] = -y[5] / c.tau_in;
    }
}

impl Neuron for HhCondExpTraub {
    const NAME: &'static str = "hh_cond_exp_traub";
    const SUMMARY: &'static str =
        "Hodgkin-Huxley neuron after Traub with exponential conductance synapses (adaptive RKF45)";
    const SCHEMA: &'static [ParamSpec] = &SCHEMA;
    const RECORDABLES: &'static [&'static str] = &["Act_m", "Act_n", "Inact_h", "V_m", "g_ex", "g_in"];
    const RECEPTORS: Receptors = Receptors::SignSplit;
    const WEIGHT_UNIT: Unit = Unit::NanoSiemens;

    fn new(table: &mut ParamTable) -> Self {
        let n = table.len();
        let [m, h, nn] = steady_state(SCHEMA[E_L].default);
        table.col_mut(ACT_M).fill(m);
        table.col_mut(INACT_H).fill(h);
        table.col_mut(ACT_N).fill(nn);
        HhCondExpTraub {
            g_ex: vec![0.0; n],
            g_in: vec![0.0; n],
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
                "Capacitance must be strictly positive (got C_m = {} pF).",
                row[C_M]
            )));
        }
        if row[TAU_SYN_EX] <= 0.0 || row[TAU_SYN_IN] <= 0.0 {
            return Err(Error::bad_property(format!(
                "All time constants must be strictly positive (got tau_syn_ex = {} ms, tau_syn_in = {} ms).",
                row[TAU_SYN_EX], row[TAU_SYN_IN]
            )));
        }
        if row[T_REF] < 0.0 {
            return Err(Error::bad_property(format!(
                "Refractory time cannot be negative (got t_ref = {} ms).",
                row[T_REF]
            )));
        }
        if row[ACT_M] < 0.0 || row[INACT_H] < 0.0 || row[ACT_N] < 0.0 {
            return Err(Error::bad_property(format!(
                "All (in)activation variables must be non-negative (got Act_m = {}, Inact_h = {}, Act_n = {}).",
                row[ACT_M], row[INACT_H], row[ACT_N]
            )));
        }
        Ok(())
    }

    fn prepare(&mut self, t: &mut ParamTable, h: f64) -> Result<()> {
        self.h = h;
        self.consts = (0..t.len())
            .map(|i| Consts {
                g_na: t.get(G_NA, i),
                g_k: t.get(G_K, i),
                g_l: t.get(G_L, i),
                c_m: t.get(C_M, i),
                e_na: t.get(E_NA, i),
                e_k: t.get(E_K, i),
                e_l: t.get(E_L, i),
                v_t: t.get(V_T, i),
                e_ex: t.get(E_EX, i),
                e_in: t.get(E_IN, i),
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
        let (in_ex, in_in, in_i) = (inputs.channel(CH_EX), inputs.channel(CH_IN), inputs.channel(CH_CURRENT));
        let cols = table.cols_mut();
        let n = self.r.len();
        for base in (0..n).step_by(LANES) {
            let mut block = evolve_block(base, n, self.h, &mut self.h_int, |i| {
                let y = [cols[V_M][i], cols[ACT_M][i], cols[INACT_H][i], cols[ACT_N][i], self.g_ex[i], self.g_in[i]];
                (Dynamics { c: &self.consts[i], i_stim: self.i_stim[i] }, Tolerance::NEST, y)
            });
            for item in block.neurons() {
                let (i, _, y) = item.map_err(|(i, m)| failure(i, ctx.t, m))?;
                let c = &self.consts[i];
                let u_old = cols[V_M][i];
                y[4] += in_ex[i];
                y[5] -= in_in[i];
                if self.r[i] > 0 {
                    self.r[i] -= 1;
                } else if y[0] >= c.v_t + 30. && u_old > y[0] {
                    self.r[i] = c.ref_counts;
                    out.spike(i);
                }
                self.i_stim[i] = in_i[i];
                cols[V_M][i] = y[0];
                cols[ACT_M][i] = y[1];
                cols[INACT_H][i] = y[2];
                cols[ACT_N][i] = y[3];
                self.g_ex[i] = y[4];
                self.g_in[i] = y[5];
            }
        }
        Ok(())
    }

    fn read(&self, _table: &ParamTable, var: usize, i: usize) -> f64 {
        // g_ex and g_in, the recordables outside the table.
        if var == 4 {
            self.g_ex[i]
        } else {
            self.g_in[i]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::neuron::testing::{nodes, run};
    use nestor_kernel::error::ErrorKind;

    #[test]
    fn defaults_are_nest_steady_state() {
        // Oracle: nest.GetDefaults('hh_cond_exp_traub') in NEST 3.10.
        let nd = nodes::<HhCondExpTraub>(1);
        assert!((nd.table().get(ACT_M, 0) - 9.895563096746586e-09).abs() < 1e-20);
        assert!((nd.table().get(INACT_H, 0) - 0.999999999106396).abs() < 1e-15);
        assert!((nd.table().get(ACT_N, 0) - 2.551577051602551e-07).abs() < 1e-18);
    }

    #[test]
    fn dc_input_makes_regular_spikes_without_reset() {
        let mut nd = nodes::<HhCondExpTraub>(1);
        nd.table_mut().set(I_E, 0, 500.0);
        let (rec, spikes) = run(&mut nd, 0.1, 2000, |_, _| 0.0);
        let vmax = rec.iter().map(|r| r[3]).fold(-100.0, f64::max);
        assert!(spikes.len() > 5, "{} spikes", spikes.len());
        assert!(vmax > 0.0, "action potentials overshoot 0 mV, max {vmax}");
    }

    #[test]
    fn negative_gating_variables_are_refused() {
        let nd = nodes::<HhCondExpTraub>(1);
        let mut row = nd.table().row(0);
        row[INACT_H] = -0.1;
        let e = nd.validate(&row).unwrap_err();
        assert_eq!(e.kind, ErrorKind::BadProperty);
        assert!(e.message.contains("non-negative"), "{}", e.message);
    }
}
