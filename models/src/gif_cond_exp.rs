//! # gif_cond_exp — generalized integrate-and-fire neuron with escape noise and exponential conductance synapses
//!
//! The conductance-based variant of [`crate::gif_psc_exp`] (Mensi et al. 2012, Pozzorini et al.
//! 2015): the same spike-triggered current, adaptive threshold and exponential escape rate
//! ([`crate::gif`]), with excitatory and inhibitory inputs as exponentially decaying
//! conductances. NEST 3.10's `gif_cond_exp`: the membrane and conductances are integrated with
//! GSL's RKF45 as NEST does ([`crate::rkf45`], control on y with eps_abs = `gsl_error_tol`,
//! eps_rel = 0, the integration step carried from step to step), the adaptation and the escape
//! draw are applied on the grid in NEST's order; spikes come from nestor's per-neuron random
//! streams, so a run matches NEST's statistically, not spike by spike.
//!
//! ## Equations
//!
//! ```text
//! C_m dV/dt = −g_L (V − E_L) − g_ex (V − E_ex) − g_in (V − E_in) − I_stc + I_e + I_stim
//!             (0 while refractory; V is V_reset inside the right-hand side then)
//! dg_X/dt   = −g_X/τ_syn,X          (a spike of weight w: g_ex += w for w ≥ 0, g_in += −w else)
//! I_stc, E_sfa, λ = λ_0 exp((V − E_sfa)/ΔV): as gif_psc_exp (crate::gif)
//! ```
//!
//! One step h:
//!
//! ```text
//! I_stc, E_sfa of this step (crate::gif: sums, then decay of the components)
//! integrate (V, g_ex, g_in) over h with RKF45 (I_stc and I_stim constant during the step)
//! g_X ← g_X + (spike weights of this step)
//! not refractory: escape draw (crate::gif) with the new V; a spike starts t_ref of refractoriness
//! refractory:     one step less, V ← V_reset
//! I_stim ← step current received in this step (acts during the next step)
//! ```
//!
//! ## Parameters
//!
//! As [`crate::gif_psc_exp`] (`I_e` 0 pA, `E_L` −70 mV, `g_L` 4 nS, `C_m` 80 pF, `V_reset`
//! −55 mV, `Delta_V` 0.5 mV, `V_T_star` −35 mV, `lambda_0` 1 /s, `t_ref` 4 ms, `tau_syn_ex`
//! and `tau_syn_in` 2 ms, now of the conductances, `tau_sfa`/`q_sfa`/`tau_stc`/`q_stc` []), plus:
//!
//! | NEST name       | unit | default | meaning                                           |
//! |-----------------|------|---------|---------------------------------------------------|
//! | `E_ex`          | mV   | 0       | excitatory reversal potential                     |
//! | `E_in`          | mV   | −85     | inhibitory reversal potential                     |
//! | `gsl_error_tol` | —    | 0.001   | absolute error bound of the integrator (eps_abs)  |
//!
//! ## Checks
//!
//! Those of [`crate::gif_psc_exp`], in the same order and with the same messages (the adaptation
//! lists' lengths, `g_L`, `Delta_V`, `C_m`, `t_ref`, `lambda_0`, the adaptation time constants,
//! then "Synapse time constants must be strictly positive."). `gsl_error_tol` is not checked
//! (as in NEST); a tolerance ≤ 0 makes the integrator shrink its step without end, which nestor
//! reports as a `NumericalInstability` after 10⁶ attempts in one step.
//!
//! ## State and recordables
//!
//! * Status: `V_m` (mV, initial −70 = E_L), `g_ex`, `g_in` (nS, initial 0), read-only `E_sfa`
//!   (mV) and `I_stc` (pA), the values of the last step.
//! * Recordables (NEST's order): `E_sfa`, `I_stc`, `V_m`, `g_ex`, `g_in`.
//!
//! ## Events
//!
//! * Sends: spikes.
//! * Receives: spikes on receptor 0 (nS; weight ≥ 0 excitatory, negative inhibitory, added as
//!   −w to g_in), currents on receptor 0 (pA). Other receptors: `UnknownReceptorType`.
//!
//! ## References
//!
//! 1. Mensi S, Naud R, Pozzorini C, Avermann M, Petersen CC, Gerstner W (2012). Parameter
//!    extraction and classification of three cortical neuron types reveals two distinct
//!    adaptation mechanisms. J Neurophysiol 107:1756–1775. doi:10.1152/jn.00408.2011
//! 2. Pozzorini C, Mensi S, Hagens O, Naud R, Koch C, Gerstner W (2015). Automated
//!    high-throughput characterization of single neurons by means of simplified spiking models.
//!    PLoS Comput Biol 11:e1004275. doi:10.1371/journal.pcbi.1004275
//!
//! ## See also
//!
//! [`crate::gif`], [`crate::gif_psc_exp`], [`crate::gif_cond_exp_multisynapse`],
//! [`crate::iaf_cond_exp`], [`crate::rkf45`].

use crate::gif::{schema, Adaptation, C_M, E_L, E_SFA_I_STC, G_L, I_E, LISTS};
use crate::gif_psc_exp::check_syn_taus;
use crate::neuron::{col, failure, gather, scatter, Neuron, Receptors, CH_CURRENT, CH_EX, CH_IN};
use crate::rkf45::{evolve_step, Ode, Tolerance};
use nestor_kernel::error::Result;
use nestor_kernel::model::{Emitter, Failure, Inputs, StepCtx};
use nestor_kernel::schema::{ParamSpec, ParamTable};
use nestor_kernel::units::Unit;
use nestor_kernel::value::{Dict, Value};

/// The status table of `gif_cond_exp`: NEST names, units and defaults, in NEST's order.
pub static SCHEMA: [ParamSpec; 21] = schema(
    &[
        ParamSpec::param("tau_syn_ex", Unit::Millisecond, 2.0, "Decay time of the excitatory conductance"),
        ParamSpec::param("tau_syn_in", Unit::Millisecond, 2.0, "Decay time of the inhibitory conductance"),
        ParamSpec::param("E_ex", Unit::MilliVolt, 0.0, "Excitatory reversal potential"),
        ParamSpec::param("E_in", Unit::MilliVolt, -85.0, "Inhibitory reversal potential"),
        ParamSpec::param("gsl_error_tol", Unit::Dimensionless, 1e-3, "Absolute error bound of the integrator"),
    ],
    &[
        ParamSpec::state("V_m", Unit::MilliVolt, -70.0, "Membrane potential"),
        ParamSpec::state("g_ex", Unit::NanoSiemens, 0.0, "Excitatory synaptic conductance"),
        ParamSpec::state("g_in", Unit::NanoSiemens, 0.0, "Inhibitory synaptic conductance"),
        E_SFA_I_STC[0],
        E_SFA_I_STC[1],
    ],
);

const TAU_SYN_EX: usize = col(&SCHEMA, "tau_syn_ex");
const TAU_SYN_IN: usize = col(&SCHEMA, "tau_syn_in");
const E_EX: usize = col(&SCHEMA, "E_ex");
const E_IN: usize = col(&SCHEMA, "E_in");
const GSL_ERROR_TOL: usize = col(&SCHEMA, "gsl_error_tol");
const V_M: usize = col(&SCHEMA, "V_m");
const G_EX: usize = col(&SCHEMA, "g_ex");
const G_IN: usize = col(&SCHEMA, "g_in");
const E_SFA: usize = col(&SCHEMA, "E_sfa");
const I_STC: usize = col(&SCHEMA, "I_stc");

/// One neuron's constants from `prepare`.
#[derive(Debug, Clone, Copy, Default)]
struct Consts {
    g_l: f64,
    e_l: f64,
    c_m: f64,
    e_ex: f64,
    e_in: f64,
    tau_ex: f64,
    tau_in: f64,
    i_e: f64,
    v_reset: f64,
    tol: f64,
}

/// A chunk of `gif_cond_exp` neurons: internal state beside the status table.
pub struct GifCondExp {
    ad: Adaptation,
    /// Step current of the previous step, pA.
    i_stim: Vec<f64>,
    /// Suggested integration step carried between steps (NEST's `IntegrationStep_`), ms.
    h_int: Vec<f64>,
    consts: Vec<Consts>,
    h: f64,
}

/// NEST's `gif_cond_exp_dynamics` for one neuron.
struct Dynamics<'a> {
    c: &'a Consts,
    refractory: bool,
    i_stim: f64,
    stc: f64,
}

impl Ode<3> for Dynamics<'_> {
    #[inline(always)]
    fn rhs(&self, y: &[f64; 3], f: &mut [f64; 3]) {
        let c = self.c;
        let v = if self.refractory { c.v_reset } else { y[0] };
        let i_syn_exc = y[1] * (v - c.e_ex);
        let i_syn_inh = y[2] * (v - c.e_in);
        let i_l = c.g_l * (v - c.e_l);
        f[0] =
            if self.refractory { 0.0 } else { (-i_l + self.i_stim + c.i_e - i_syn_exc - i_syn_inh - self.stc) / c.c_m };
        f[1] = -y[1] / c.tau_ex;
        f[2] = -y[2] / c.tau_in;
    }
}

impl Neuron for GifCondExp {
    const NAME: &'static str = "gif_cond_exp";
    const SUMMARY: &'static str =
        "Generalized integrate-and-fire neuron with escape noise, spike-triggered current, adaptive threshold and exponential conductance synapses (stochastic, adaptive RKF45)";
    const SCHEMA: &'static [ParamSpec] = &SCHEMA;
    const RECORDABLES: &'static [&'static str] = &["E_sfa", "I_stc", "V_m", "g_ex", "g_in"];
    const RECEPTORS: Receptors = Receptors::SignSplit;
    const WEIGHT_UNIT: Unit = Unit::NanoSiemens;

    fn new(table: &mut ParamTable) -> Self {
        let n = table.len();
        GifCondExp {
            ad: Adaptation::new(n),
            i_stim: vec![0.0; n],
            h_int: vec![0.0; n],
            consts: vec![Consts::default(); n],
            h: 0.1,
        }
    }

    fn seed_streams(&mut self, seed: u64, first_id: u32) {
        self.ad.seed(seed, first_id);
    }

    fn extra_keys() -> &'static [&'static str] {
        &LISTS
    }

    fn get_extra(&self, i: usize, d: &mut Dict) {
        self.ad.get_extra(i, d);
    }

    fn set_extra(&mut self, i: usize, entries: &[(&str, &Value)], row: &[f64]) -> Result<()> {
        let lists = self.ad.new_lists(i, entries)?;
        Adaptation::check(row, &lists)?;
        check_syn_taus(row[TAU_SYN_EX], row[TAU_SYN_IN])?;
        self.ad.commit(i, lists);
        Ok(())
    }

    fn prepare(&mut self, t: &mut ParamTable, h: f64) -> Result<()> {
        self.h = h;
        self.ad.prepare(t, h);
        for i in 0..t.len() {
            self.consts[i] = Consts {
                g_l: t.get(G_L, i),
                e_l: t.get(E_L, i),
                c_m: t.get(C_M, i),
                e_ex: t.get(E_EX, i),
                e_in: t.get(E_IN, i),
                tau_ex: t.get(TAU_SYN_EX, i),
                tau_in: t.get(TAU_SYN_IN, i),
                i_e: t.get(I_E, i),
                v_reset: self.ad.v_reset(i),
                tol: t.get(GSL_ERROR_TOL, i),
            };
        }
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
        const Y: [usize; 3] = [V_M, G_EX, G_IN];
        for i in 0..self.i_stim.len() {
            let c = &self.consts[i];
            let (stc, sfa) = self.ad.begin(i);
            let mut y = gather(cols, &Y, i);
            let mut sys = Dynamics { c, refractory: self.ad.refractory(i), i_stim: self.i_stim[i], stc };
            evolve_step(&mut sys, Tolerance::y(c.tol, 0.0), self.h, &mut self.h_int[i], &mut y)
                .map_err(|m| failure(i, ctx.t, m))?;
            y[1] += in_ex[i];
            y[2] -= in_in[i];
            if self.ad.fire(i, &mut y[0], sfa) {
                out.spike(i);
            }
            self.i_stim[i] = in_i[i];
            scatter(cols, &Y, i, &y);
            cols[E_SFA][i] = sfa;
            cols[I_STC][i] = stc;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::neuron::testing::{nodes, run, set_status};
    use nestor_kernel::error::ErrorKind;
    use nestor_kernel::model::{EventKind, Route};

    const NAME: &str = "gif_cond_exp";

    #[test]
    fn checks_follow_nest() {
        let mut nd = nodes::<GifCondExp>(1);
        for (d, msg) in [
            (
                vec![("tau_stc", Value::DoubleVec(vec![10.0])), ("g_L", Value::Double(0.0))],
                "'tau_stc' and 'q_stc' need to have the same dimensions.",
            ),
            (vec![("g_L", Value::Double(-1.0))], "Membrane conductance must be strictly positive."),
            (
                vec![("lambda_0", Value::Double(-1.0)), ("tau_syn_ex", Value::Double(0.0))],
                "lambda_0 must not be negative.",
            ),
            (vec![("tau_syn_ex", Value::Double(0.0))], "Synapse time constants must be strictly positive."),
        ] {
            let e = set_status(&mut nd, &d, NAME).unwrap_err();
            assert_eq!(e.kind, ErrorKind::BadProperty);
            assert!(e.message.starts_with(msg), "{} vs {msg}", e.message);
        }
        assert!(set_status(&mut nd, &[("gsl_error_tol", Value::Double(-1.0))], NAME).is_ok(), "not checked");
        assert_eq!(nd.route(0, EventKind::Spike, -3.0).unwrap(), Route::weighted(CH_IN as u16));
    }

    #[test]
    fn subthreshold_conductances_and_steady_state() {
        // Oracle: with λ_0 = 0 nothing fires; g decays as w e^{−t/τ} (within the integrator's
        // tolerance); an inhibitory weight −w raises g_in by w; with I_e alone V relaxes to
        // E_L + I_e/g_L.
        let mut nd = nodes::<GifCondExp>(1);
        set_status(&mut nd, &[("lambda_0", Value::Double(0.0)), ("I_e", Value::Double(40.0))], NAME).unwrap();
        let (rec, spikes) = run(&mut nd, 0.1, 3000, |t, ch| match (t, ch) {
            (0, CH_EX) => 10.0,
            (0, CH_IN) => -4.0,
            _ => 0.0,
        });
        assert!(spikes.is_empty());
        assert_eq!((rec[0][3], rec[0][4]), (10.0, 4.0));
        for (k, r) in rec.iter().enumerate().take(50) {
            assert!((r[3] - 10.0 * (-(k as f64) * 0.1 / 2.0).exp()).abs() < 1e-3);
        }
        // 300 ms = 15 τ_m: e^{−15}·10 mV ≈ 3e-6 mV left.
        assert!((rec[2999][2] - (-70.0 + 40.0 / 4.0)).abs() < 1e-4, "{}", rec[2999][2]);
    }

    #[test]
    fn hard_threshold_holds_v_reset_while_refractory() {
        // Oracle: ΔV = 1e-6 mV makes the escape a hard threshold at E_sfa; after a spike V is
        // V_reset for t_ref = 4 ms (40 steps), the stc jump q_stc is this step's I_stc after it.
        let mut nd = nodes::<GifCondExp>(1);
        set_status(
            &mut nd,
            &[
                ("Delta_V", Value::Double(1e-6)),
                ("I_e", Value::Double(150.0)),
                ("V_T_star", Value::Double(-50.0)),
                ("tau_stc", Value::DoubleVec(vec![30.0])),
                ("q_stc", Value::DoubleVec(vec![20.0])),
            ],
            NAME,
        )
        .unwrap();
        let (rec, spikes) = run(&mut nd, 0.1, 2000, |_, _| 0.0);
        assert!(spikes.len() >= 3, "{spikes:?}");
        let first = spikes[0] as usize;
        assert!(rec[first - 1][2] > -50.0 && rec[first - 2][2] <= -50.0);
        for row in &rec[first..first + 40] {
            assert_eq!(row[2], -55.0);
        }
        assert_eq!(rec[first][1], 20.0);
    }
}
