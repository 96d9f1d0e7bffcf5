//! # gif_cond_exp_multisynapse — generalized integrate-and-fire neuron with escape noise and any number of exponential conductance receptors
//!
//! [`crate::gif_cond_exp`] with `n` receptor ports instead of an excitatory and an inhibitory
//! synapse: each port k is an exponentially decaying conductance with its own time constant
//! `tau_syn[k]` and reversal potential `E_rev[k]`. NEST 3.10's `gif_cond_exp_multisynapse`:
//! membrane and conductances integrated with GSL's RKF45 as NEST does ([`crate::rkf45`], control
//! on y with eps_abs = `gsl_error_tol`, eps_rel = 0), the adaptation and escape draw of
//! [`crate::gif`], spikes from nestor's per-neuron random streams (a run matches NEST's
//! statistically).
//!
//! ## Equations
//!
//! ```text
//! C_m dV/dt = −g_L (V_m − E_L) − Σ_k g_k (V − E_rev,k) − I_stc + I_e + I_stim
//!             (0 while refractory; V is V_reset inside the synaptic term then, while the leak
//!             term uses the integrated V_m, as in NEST — it is multiplied by 0 anyway)
//! dg_k/dt   = −g_k/τ_syn,k          (a spike of weight w ≥ 0 on port k: g_k += w)
//! I_stc, E_sfa, λ = λ_0 exp((V − E_sfa)/ΔV): as gif_psc_exp (crate::gif)
//! ```
//!
//! One step h: the adaptation sums ([`crate::gif`]); RKF45 over (V_m, g_1 … g_n) with I_stc and
//! I_stim constant; g_k += spike weights of the step on port k; not refractory: escape draw with
//! the new V_m; refractory: one step less, V_m ← V_reset; I_stim ← step current of this step.
//!
//! ## Parameters
//!
//! As [`crate::gif_psc_exp`] (`I_e` 0 pA, `E_L` −70 mV, `g_L` 4 nS, `C_m` 80 pF, `V_reset`
//! −55 mV, `Delta_V` 0.5 mV, `V_T_star` −35 mV, `lambda_0` 1 /s, `t_ref` 4 ms,
//! `tau_sfa`/`q_sfa`/`tau_stc`/`q_stc` []), without `tau_syn_ex`/`tau_syn_in`, plus:
//!
//! | NEST name       | unit      | default | meaning                                          |
//! |-----------------|-----------|---------|--------------------------------------------------|
//! | `gsl_error_tol` | —         | 0.001   | absolute error bound of the integrator (eps_abs) |
//! | `tau_syn`       | ms (list) | [2]     | decay time of each port's conductance            |
//! | `E_rev`         | mV (list) | [0]     | reversal potential of each port                  |
//!
//! `n_receptors` (read-only) is the number of ports, the length of `E_rev`; `has_connections`
//! (read-only) is always `false` in nestor.
//!
//! ## Checks
//!
//! In NEST's order, each a `BadProperty` with NEST's message (and the values). First, when
//! `tau_syn` or `E_rev` is given: a change of the number of ports needs both ("If the number of
//! receptor ports is changed, both arrays E_rev and tau_syn must be provided."); equal lengths
//! ("The reversal potential, and synaptic time constant arrays must have the same size.");
//! every τ_syn > 0 ("All synaptic time constants must be strictly positive"). Then those of
//! [`crate::gif_psc_exp`] up to the adaptation time constants. `gsl_error_tol` is not checked (as
//! in NEST; a tolerance ≤ 0 ends in a `NumericalInstability` in nestor). NEST's refusal to reduce
//! the number of ports of a connected neuron is not tracked (`has_connections` stays `false`).
//! Negative weights are refused at Connect ("Synaptic weights for conductance-based
//! multisynapse models must be non-negative."; NEST refuses them when the spike arrives). At
//! most 128 ports (a nestor limit).
//!
//! ## State and recordables
//!
//! * Status: `V_m` (mV, initial −70 = E_L), read-only `E_sfa` (mV) and `I_stc` (pA), the values
//!   of the last step, and read-only `g` (nS, one entry per port). NEST shows two entries (the
//!   second always 0) for a neuron that never had a SetStatus (GetDefaults, Create without
//!   parameters: its state vector starts one entry too long); nestor always one per port.
//! * Recordables (NEST's order): `E_sfa`, `I_stc`, `V_m` (the conductances are not recordable,
//!   as in NEST).
//!
//! ## Events
//!
//! * Sends: spikes.
//! * Receives: spikes on receptors 1..n (nS, ≥ 0), currents on receptor 0 (pA). Spikes on
//!   receptor 0 or above n: `IncompatibleReceptorType`; currents on another receptor:
//!   `UnknownReceptorType`.
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
//! [`crate::gif`], [`crate::gif_cond_exp`], [`crate::gif_psc_exp_multisynapse`],
//! [`crate::aeif_cond_alpha_multisynapse`], [`crate::multisynapse`], [`crate::rkf45`].

use crate::gif::{schema, Adaptation, C_M, E_L, E_SFA_I_STC, G_L, I_E, LISTS};
use crate::multisynapse::{cap_for, given, put, refuse_read_only, PortLists, MAX_PORTS};
use crate::neuron::{col, failure, Neuron, Receptors, CH_PORT_CURRENT};
use crate::rkf45::{evolve_step, Ode, Tolerance};
use nestor_kernel::error::{Error, Result};
use nestor_kernel::model::{Emitter, EventKind, Failure, Inputs, Route, StepCtx};
use nestor_kernel::schema::{ParamSpec, ParamTable};
use nestor_kernel::units::Unit;
use nestor_kernel::value::{Dict, Value};

/// The scalar status entries of `gif_cond_exp_multisynapse`: NEST names, units and defaults.
pub static SCHEMA: [ParamSpec; 15] = schema(
    &[ParamSpec::param("gsl_error_tol", Unit::Dimensionless, 1e-3, "Absolute error bound of the integrator")],
    &[ParamSpec::state("V_m", Unit::MilliVolt, -70.0, "Membrane potential"), E_SFA_I_STC[0], E_SFA_I_STC[1]],
);

const GSL_ERROR_TOL: usize = col(&SCHEMA, "gsl_error_tol");
const V_M: usize = col(&SCHEMA, "V_m");
const E_SFA: usize = col(&SCHEMA, "E_sfa");
const I_STC: usize = col(&SCHEMA, "I_stc");

const NAME: &str = "gif_cond_exp_multisynapse";

/// The per-port lists: tau_syn (0), E_rev (1).
const TAU_SYN: usize = 0;
const E_REV: usize = 1;

/// One neuron's constants from `prepare`.
#[derive(Debug, Clone, Copy, Default)]
struct Consts {
    g_l: f64,
    e_l: f64,
    c_m: f64,
    i_e: f64,
    v_reset: f64,
    tol: f64,
}

/// A chunk of `gif_cond_exp_multisynapse` neurons: internal state beside the status table.
pub struct GifCondExpMultisynapse {
    ad: Adaptation,
    /// Per-port parameters: tau_syn (0), E_rev (1).
    ports: PortLists,
    /// The conductances g_k, nS (NEST's state vector beyond V_m).
    g: PortLists,
    /// Step current of the previous step, pA.
    i_stim: Vec<f64>,
    /// Suggested integration step carried between steps (NEST's `IntegrationStep_`), ms.
    h_int: Vec<f64>,
    consts: Vec<Consts>,
    h: f64,
}

/// NEST's `gif_cond_exp_multisynapse_dynamics` for one neuron with `tau_syn.len()` ports.
struct Dynamics<'a> {
    c: &'a Consts,
    tau_syn: &'a [f64],
    e_rev: &'a [f64],
    refractory: bool,
    i_stim: f64,
    stc: f64,
}

impl<const CAP: usize> Ode<CAP> for Dynamics<'_> {
    #[inline(always)]
    fn rhs(&self, y: &[f64; CAP], f: &mut [f64; CAP]) {
        let c = self.c;
        let i_l = -c.g_l * (y[0] - c.e_l);
        let v = if self.refractory { c.v_reset } else { y[0] };
        let mut i_syn = 0.0;
        for k in 0..self.tau_syn.len() {
            i_syn += -y[1 + k] * (v - self.e_rev[k]);
        }
        f[0] = if self.refractory { 0.0 } else { (i_l + self.i_stim + c.i_e + i_syn - self.stc) / c.c_m };
        for k in 0..self.tau_syn.len() {
            f[1 + k] = -y[1 + k] / self.tau_syn[k];
        }
    }
}

impl GifCondExpMultisynapse {
    fn step<const CAP: usize>(
        &mut self,
        table: &mut ParamTable,
        ctx: &StepCtx,
        inputs: &Inputs<'_>,
        out: &mut Emitter<'_>,
    ) -> std::result::Result<(), Failure> {
        let in_i = inputs.channel(CH_PORT_CURRENT);
        let cols = table.cols_mut();
        for i in 0..self.i_stim.len() {
            let c = &self.consts[i];
            let (stc, sfa) = self.ad.begin(i);
            let n = self.ports.ports(i).min(CAP - 1);
            let mut y = [0.0; CAP];
            y[0] = cols[V_M][i];
            y[1..=n].copy_from_slice(&self.g.get(0, i)[..n]);
            let mut sys = Dynamics {
                c,
                tau_syn: &self.ports.get(TAU_SYN, i)[..n],
                e_rev: &self.ports.get(E_REV, i)[..n],
                refractory: self.ad.refractory(i),
                i_stim: self.i_stim[i],
                stc,
            };
            evolve_step(&mut sys, Tolerance::y(c.tol, 0.0), self.h, &mut self.h_int[i], &mut y)
                .map_err(|m| failure(i, ctx.t, m))?;
            for k in 0..n {
                y[1 + k] += inputs.channel(1 + k)[i];
            }
            if self.ad.fire(i, &mut y[0], sfa) {
                out.spike(i);
            }
            self.g.get_mut(0, i)[..n].copy_from_slice(&y[1..=n]);
            self.i_stim[i] = in_i[i];
            cols[V_M][i] = y[0];
            cols[E_SFA][i] = sfa;
            cols[I_STC][i] = stc;
        }
        Ok(())
    }
}

impl Neuron for GifCondExpMultisynapse {
    const NAME: &'static str = NAME;
    const SUMMARY: &'static str =
        "Generalized integrate-and-fire neuron with escape noise, spike-triggered current, adaptive threshold and any number of exponential conductance receptors (stochastic, adaptive RKF45)";
    const SCHEMA: &'static [ParamSpec] = &SCHEMA;
    const RECORDABLES: &'static [&'static str] = &["E_sfa", "I_stc", "V_m"];
    const RECEPTORS: Receptors = Receptors::Ports;
    const WEIGHT_UNIT: Unit = Unit::NanoSiemens;

    fn new(table: &mut ParamTable) -> Self {
        let n = table.len();
        GifCondExpMultisynapse {
            ad: Adaptation::new(n),
            ports: PortLists::new(n, &[&[2.0], &[0.0]]),
            g: PortLists::new(n, &[&[0.0]]),
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
        &["n_receptors", "E_rev", "has_connections", "tau_syn", LISTS[0], LISTS[1], LISTS[2], LISTS[3], "g"]
    }

    fn get_extra(&self, i: usize, d: &mut Dict) {
        d.insert("n_receptors".into(), Value::Int(self.ports.ports(i) as i64));
        put(d, "E_rev", &self.ports, E_REV, i);
        d.insert("has_connections".into(), Value::Bool(false));
        put(d, "tau_syn", &self.ports, TAU_SYN, i);
        self.ad.get_extra(i, d);
        put(d, "g", &self.g, 0, i);
    }

    fn set_extra(&mut self, i: usize, entries: &[(&str, &Value)], row: &[f64]) -> Result<()> {
        refuse_read_only(entries, &["n_receptors", "has_connections", "g"], NAME)?;
        let [e_rev, tau] =
            <[Option<Vec<f64>>; 2]>::try_from(given(entries, &["E_rev", "tau_syn"])?).unwrap_or([None, None]);
        let old_n = self.ports.ports(i);
        let ports = if e_rev.is_some() || tau.is_some() {
            let both = e_rev.is_some() && tau.is_some();
            let e_rev = e_rev.unwrap_or_else(|| self.ports.get(E_REV, i).to_vec());
            let tau = tau.unwrap_or_else(|| self.ports.get(TAU_SYN, i).to_vec());
            if (e_rev.len() != old_n || tau.len() != old_n) && !both {
                return Err(Error::bad_property(format!(
                    "If the number of receptor ports is changed, both arrays E_rev and tau_syn must be provided. (got E_rev: {}, tau_syn: {} entries, {old_n} ports)",
                    e_rev.len(),
                    tau.len()
                )));
            }
            if e_rev.len() != tau.len() {
                return Err(Error::bad_property(format!(
                    "The reversal potential, and synaptic time constant arrays must have the same size. (got E_rev: {}, tau_syn: {})",
                    e_rev.len(),
                    tau.len()
                )));
            }
            if let Some((k, t)) = tau.iter().enumerate().find(|(_, &t)| t <= 0.0) {
                return Err(Error::bad_property(format!(
                    "All synaptic time constants must be strictly positive (got tau_syn[{k}] = {t} ms)"
                )));
            }
            Some([tau, e_rev])
        } else {
            None
        };
        let lists = self.ad.new_lists(i, entries)?;
        Adaptation::check(row, &lists)?;
        self.ad.commit(i, lists);
        if let Some(p) = ports {
            let n = p[0].len();
            self.ports.set(i, &p);
            self.g.resize(i, n, &[0.0]);
        }
        Ok(())
    }

    fn receptor_count(&self) -> usize {
        self.ports.max_ports()
    }

    fn custom_route(&self, receptor: i64, kind: EventKind, weight: f64) -> Option<Result<Route>> {
        if kind.is_spike() && weight < 0.0 && receptor >= 1 {
            return Some(Err(Error::bad_property(format!(
                "Synaptic weights for conductance-based multisynapse models must be non-negative. (got weight {weight} nS on receptor {receptor} of {NAME})"
            ))));
        }
        None
    }

    fn prepare(&mut self, t: &mut ParamTable, h: f64) -> Result<()> {
        self.h = h;
        self.ad.prepare(t, h);
        for i in 0..t.len() {
            self.consts[i] = Consts {
                g_l: t.get(G_L, i),
                e_l: t.get(E_L, i),
                c_m: t.get(C_M, i),
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
        match cap_for(self.ports.max_ports()) {
            8 => self.step::<8>(table, ctx, inputs, out),
            16 => self.step::<16>(table, ctx, inputs, out),
            34 => self.step::<34>(table, ctx, inputs, out),
            66 => self.step::<66>(table, ctx, inputs, out),
            _ => self.step::<{ 2 + 2 * MAX_PORTS }>(table, ctx, inputs, out),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::neuron::testing::{nodes, run, set_status};
    use nestor_kernel::error::ErrorKind;

    #[test]
    fn checks_and_ports_follow_nest() {
        let mut nd = nodes::<GifCondExpMultisynapse>(1);
        let mut d = Dict::new();
        nd.get_extra(0, &mut d);
        assert_eq!(d.get("g"), Some(&Value::DoubleVec(vec![0.0])));
        for (st, msg) in [
            (
                vec![("tau_syn", Value::DoubleVec(vec![1.0, 2.0]))],
                "If the number of receptor ports is changed, both arrays E_rev and tau_syn must be provided.",
            ),
            (
                vec![("tau_syn", Value::DoubleVec(vec![1.0, 2.0])), ("E_rev", Value::DoubleVec(vec![0.0]))],
                "The reversal potential, and synaptic time constant arrays must have the same size.",
            ),
            (
                vec![("tau_syn", Value::DoubleVec(vec![-1.0])), ("g_L", Value::Double(0.0))],
                "All synaptic time constants must be strictly positive",
            ),
            (vec![("g_L", Value::Double(0.0))], "Membrane conductance must be strictly positive."),
        ] {
            let e = set_status(&mut nd, &st, NAME).unwrap_err();
            assert_eq!(e.kind, ErrorKind::BadProperty);
            assert!(e.message.starts_with(msg), "{} vs {msg}", e.message);
        }
        set_status(&mut nd, &[("E_rev", Value::DoubleVec(vec![-10.0]))], NAME).unwrap();
        set_status(
            &mut nd,
            &[("tau_syn", Value::DoubleVec(vec![1.0, 5.0, 2.0])), ("E_rev", Value::DoubleVec(vec![0.0, 0.0, -85.0]))],
            NAME,
        )
        .unwrap();
        let mut d = Dict::new();
        nd.get_extra(0, &mut d);
        assert_eq!(d.get("g"), Some(&Value::DoubleVec(vec![0.0; 3])));
        assert_eq!(d.get("n_receptors"), Some(&Value::Int(3)));
        assert_eq!(nd.channels(), 4);
        assert_eq!(nd.route(2, EventKind::Spike, -1.0).unwrap_err().kind, ErrorKind::BadProperty);
        assert_eq!(nd.route(2, EventKind::Spike, 1.0).unwrap(), Route::weighted(2));
        assert_eq!(nd.route(4, EventKind::Spike, 1.0).unwrap_err().kind, ErrorKind::IncompatibleReceptorType);
    }

    #[test]
    fn conductances_decay_and_pull_towards_reversal() {
        // Oracle: λ_0 = 0 (no spikes); g_k(t) = w e^{−t/τ_k} to the integrator's tolerance;
        // an inhibitory port (E_rev −85) lowers V below E_L, an excitatory one raises it.
        let mut nd = nodes::<GifCondExpMultisynapse>(1);
        set_status(
            &mut nd,
            &[
                ("lambda_0", Value::Double(0.0)),
                ("tau_syn", Value::DoubleVec(vec![1.0, 5.0])),
                ("E_rev", Value::DoubleVec(vec![0.0, -85.0])),
            ],
            NAME,
        )
        .unwrap();
        let (rec, spikes) = run(&mut nd, 0.1, 100, |t, ch| if t == 0 && ch == 2 { 10.0 } else { 0.0 });
        assert!(spikes.is_empty());
        assert!(rec[50][2] < -70.0);
        let mut d = Dict::new();
        nd.get_extra(0, &mut d);
        let Some(Value::DoubleVec(g)) = d.get("g") else { panic!("g") };
        assert!((g[1] - 10.0 * (-99.0f64 * 0.1 / 5.0).exp()).abs() < 1e-3, "{g:?}");
        let (rec, _) = run(&mut nd, 0.1, 100, |t, ch| if t == 0 && ch == 1 { 10.0 } else { 0.0 });
        assert!(rec[20][2] > rec[0][2]);
    }
}
