//! # gif_psc_exp_multisynapse — generalized integrate-and-fire neuron with escape noise and any number of exponential current receptors
//!
//! [`crate::gif_psc_exp`] with `n` receptor ports instead of an excitatory and an inhibitory
//! synapse: each port k is an exponentially decaying current with its own time constant
//! `tau_syn[k]`. NEST 3.10's `gif_psc_exp_multisynapse`: exact integration with NEST's
//! propagators and order of operations, the adaptation and escape draw of [`crate::gif`], spikes
//! from nestor's per-neuron random streams (a run matches NEST's statistically).
//!
//! ## Equations
//!
//! ```text
//! C_m dV/dt  = −g_L (V − E_L) − I_stc + Σ_k I_k + I_e + I_stim
//! dI_k/dt    = −I_k/τ_syn,k          (a spike of weight w on port k: I_k += w)
//! I_stc, E_sfa, λ = λ_0 exp((V − E_sfa)/ΔV): as gif_psc_exp (crate::gif)
//! ```
//!
//! One step h (τ_m = C_m/g_L), after the adaptation sums of [`crate::gif`]:
//!
//! ```text
//! S ← Σ_k P21_k·I_k          (the currents at the start of the step)
//! I_k ← P11_k·I_k + (spike weights on port k in this step)
//! not refractory:  V ← P30·(I_stim + I_e − I_stc) + P33·V + P31·E_L + S;  escape draw
//! refractory:      one step less, V ← V_reset
//! I_stim ← step current received in this step (acts during the next step)
//! ```
//!
//! with P11_k = e^{−h/τ_syn,k}, P21_k NEST's exact propagator
//! ([`crate::numerics::IafPropagator::exp`], τ_syn,k = τ_m allowed), and P33, P30, P31 as in
//! [`crate::gif_psc_exp`]. Unlike `gif_psc_exp`, V uses the currents *before* this step's decay
//! and input (NEST's order), so a spike received in a step reaches V one step later.
//!
//! ## Parameters
//!
//! As [`crate::gif_psc_exp`] (`I_e` 0 pA, `E_L` −70 mV, `g_L` 4 nS, `C_m` 80 pF, `V_reset`
//! −55 mV, `Delta_V` 0.5 mV, `V_T_star` −35 mV, `lambda_0` 1 /s, `t_ref` 4 ms,
//! `tau_sfa`/`q_sfa`/`tau_stc`/`q_stc` []), without `tau_syn_ex`/`tau_syn_in`, plus:
//!
//! | NEST name | unit      | default | meaning                                           |
//! |-----------|-----------|---------|---------------------------------------------------|
//! | `tau_syn` | ms (list) | [2]     | decay time of each port's current (one per port)  |
//!
//! `n_receptors` (read-only) is the number of ports, the length of `tau_syn`;
//! `has_connections` (read-only) is always `false` in nestor.
//!
//! ## Checks
//!
//! Those of [`crate::gif_psc_exp`] up to the adaptation time constants, in NEST's order and with
//! NEST's messages, then, when `tau_syn` is given, every entry > 0 ("All synaptic time constants
//! must be > 0."). NEST refuses to reduce the number of ports of a neuron that has connections;
//! nestor does not track this (`has_connections` stays `false`), so the change is accepted and
//! ports beyond the new count receive no more input. At most 128 ports (a nestor limit).
//!
//! ## State and recordables
//!
//! * Status: `V_m` (mV, initial −70), read-only `E_sfa` (mV) and `I_stc` (pA), the values of the
//!   last step. The port currents are neither status entries nor recordables (as in NEST).
//! * Recordables (NEST's order): `E_sfa`, `I_stc`, `V_m`.
//!
//! ## Events
//!
//! * Sends: spikes.
//! * Receives: spikes on receptors 1..n (weight in pA, any sign), currents on receptor 0 (pA).
//!   Spikes on receptor 0 or above n: `IncompatibleReceptorType`; currents on another receptor:
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
//! [`crate::gif`], [`crate::gif_psc_exp`], [`crate::gif_cond_exp_multisynapse`],
//! [`crate::iaf_psc_exp_multisynapse`], [`crate::multisynapse`].

use crate::gif::{schema, Adaptation, C_M, E_L, E_SFA_I_STC, G_L, I_E, LISTS};
use crate::multisynapse::{given, put, refuse_read_only, PortLists};
use crate::neuron::{col, Neuron, Receptors, CH_PORT_CURRENT};
use crate::numerics::{expm1, IafPropagator};
use nestor_kernel::error::{Error, Result};
use nestor_kernel::model::{Emitter, Failure, Inputs, StepCtx};
use nestor_kernel::schema::{ParamSpec, ParamTable};
use nestor_kernel::units::Unit;
use nestor_kernel::value::{Dict, Value};

/// The scalar status entries of `gif_psc_exp_multisynapse`: NEST names, units and defaults.
pub static SCHEMA: [ParamSpec; 14] = schema(
    &[],
    &[ParamSpec::state("V_m", Unit::MilliVolt, -70.0, "Membrane potential"), E_SFA_I_STC[0], E_SFA_I_STC[1]],
);

const V_M: usize = col(&SCHEMA, "V_m");
const E_SFA: usize = col(&SCHEMA, "E_sfa");
const I_STC: usize = col(&SCHEMA, "I_stc");

const NAME: &str = "gif_psc_exp_multisynapse";

/// One neuron's scalar constants from `prepare`.
#[derive(Debug, Clone, Copy, Default)]
struct Consts {
    p33: f64,
    p30: f64,
    p31: f64,
    e_l: f64,
    i_e: f64,
}

/// A chunk of `gif_psc_exp_multisynapse` neurons: internal state beside the status table.
pub struct GifPscExpMultisynapse {
    ad: Adaptation,
    /// Per-port parameters: tau_syn (0).
    ports: PortLists,
    /// Per-port currents I_k, pA.
    i_syn: PortLists,
    /// Per-port propagators: P11 (0), P21 (1).
    pre: PortLists,
    /// Step current of the previous step, pA.
    i_stim: Vec<f64>,
    consts: Vec<Consts>,
}

impl Neuron for GifPscExpMultisynapse {
    const NAME: &'static str = NAME;
    const SUMMARY: &'static str =
        "Generalized integrate-and-fire neuron with escape noise, spike-triggered current, adaptive threshold and any number of exponential current receptors (stochastic)";
    const SCHEMA: &'static [ParamSpec] = &SCHEMA;
    const RECORDABLES: &'static [&'static str] = &["E_sfa", "I_stc", "V_m"];
    const RECEPTORS: Receptors = Receptors::Ports;
    const WEIGHT_UNIT: Unit = Unit::PicoAmpere;

    fn new(table: &mut ParamTable) -> Self {
        let n = table.len();
        GifPscExpMultisynapse {
            ad: Adaptation::new(n),
            ports: PortLists::new(n, &[&[2.0]]),
            i_syn: PortLists::new(n, &[&[0.0]]),
            pre: PortLists::new(n, &[&[0.0], &[0.0]]),
            i_stim: vec![0.0; n],
            consts: vec![Consts::default(); n],
        }
    }

    fn seed_streams(&mut self, seed: u64, first_id: u32) {
        self.ad.seed(seed, first_id);
    }

    fn extra_keys() -> &'static [&'static str] {
        &["n_receptors", "has_connections", "tau_syn", LISTS[0], LISTS[1], LISTS[2], LISTS[3]]
    }

    fn get_extra(&self, i: usize, d: &mut Dict) {
        d.insert("n_receptors".into(), Value::Int(self.ports.ports(i) as i64));
        d.insert("has_connections".into(), Value::Bool(false));
        put(d, "tau_syn", &self.ports, 0, i);
        self.ad.get_extra(i, d);
    }

    fn set_extra(&mut self, i: usize, entries: &[(&str, &Value)], row: &[f64]) -> Result<()> {
        refuse_read_only(entries, &["n_receptors", "has_connections"], NAME)?;
        let lists = self.ad.new_lists(i, entries)?;
        Adaptation::check(row, &lists)?;
        let tau = given(entries, &["tau_syn"])?.pop().flatten();
        if let Some(tau) = &tau {
            if let Some((k, t)) = tau.iter().enumerate().find(|(_, &t)| t <= 0.0) {
                return Err(Error::bad_property(format!(
                    "All synaptic time constants must be > 0. (got tau_syn[{k}] = {t} ms)"
                )));
            }
        }
        self.ad.commit(i, lists);
        if let Some(tau) = tau {
            let n = tau.len();
            self.ports.set(i, &[tau]);
            self.i_syn.resize(i, n, &[0.0]);
            self.pre.resize(i, n, &[0.0, 0.0]);
        }
        Ok(())
    }

    fn receptor_count(&self) -> usize {
        self.ports.max_ports()
    }

    fn prepare(&mut self, t: &mut ParamTable, h: f64) -> Result<()> {
        self.ad.prepare(t, h);
        for i in 0..t.len() {
            let c_m = t.get(C_M, i);
            let tau_m = c_m / t.get(G_L, i);
            self.consts[i] = Consts {
                p33: (-h / tau_m).exp(),
                p30: -1.0 / c_m * expm1(-h / tau_m) * tau_m,
                p31: -expm1(-h / tau_m),
                e_l: t.get(E_L, i),
                i_e: t.get(I_E, i),
            };
            for k in 0..self.ports.ports(i) {
                let tau_syn = self.ports.get(0, i)[k];
                self.pre.get_mut(0, i)[k] = (-h / tau_syn).exp();
                self.pre.get_mut(1, i)[k] = IafPropagator::new(tau_syn, tau_m, c_m).exp(h);
            }
        }
        Ok(())
    }

    fn update(
        &mut self,
        table: &mut ParamTable,
        _ctx: &StepCtx,
        inputs: &Inputs<'_>,
        out: &mut Emitter<'_>,
    ) -> std::result::Result<(), Failure> {
        let in_i = inputs.channel(CH_PORT_CURRENT);
        let cols = table.cols_mut();
        for i in 0..self.i_stim.len() {
            let c = self.consts[i];
            let (stc, sfa) = self.ad.begin(i);
            let (p11, p21) = (self.pre.get(0, i), self.pre.get(1, i));
            let i_syn = self.i_syn.get_mut(0, i);
            let mut sum_syn_pot = 0.0;
            for k in 0..i_syn.len() {
                sum_syn_pot += p21[k] * i_syn[k];
                i_syn[k] *= p11[k];
                i_syn[k] += inputs.channel(1 + k)[i];
            }
            let mut v = cols[V_M][i];
            if self.ad.free(i) {
                v = c.p30 * (self.i_stim[i] + c.i_e - stc) + c.p33 * v + c.p31 * c.e_l + sum_syn_pot;
            }
            if self.ad.fire(i, &mut v, sfa) {
                out.spike(i);
            }
            self.i_stim[i] = in_i[i];
            cols[V_M][i] = v;
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

    #[test]
    fn checks_and_ports_follow_nest() {
        let mut nd = nodes::<GifPscExpMultisynapse>(1);
        let e = set_status(&mut nd, &[("tau_syn", Value::DoubleVec(vec![1.0, 0.0]))], NAME).unwrap_err();
        assert!(e.message.starts_with("All synaptic time constants must be > 0."), "{}", e.message);
        // NEST's order: the common checks before tau_syn.
        let e = set_status(&mut nd, &[("tau_syn", Value::DoubleVec(vec![0.0])), ("Delta_V", Value::Double(0.0))], NAME)
            .unwrap_err();
        assert!(e.message.starts_with("Delta_V must be strictly positive."), "{}", e.message);
        let e = set_status(&mut nd, &[("n_receptors", Value::Int(3))], NAME).unwrap_err();
        assert_eq!(e.kind, ErrorKind::BadProperty);
        set_status(&mut nd, &[("tau_syn", Value::DoubleVec(vec![1.0, 20.0, 3.0]))], NAME).unwrap();
        let mut d = Dict::new();
        nd.get_extra(0, &mut d);
        assert_eq!(d.get("n_receptors"), Some(&Value::Int(3)));
        assert_eq!(nd.channels(), 4);
        assert_eq!(nd.route(0, EventKind::Spike, 1.0).unwrap_err().kind, ErrorKind::IncompatibleReceptorType);
        assert_eq!(nd.route(4, EventKind::Spike, 1.0).unwrap_err().kind, ErrorKind::IncompatibleReceptorType);
        assert_eq!(nd.route(2, EventKind::Spike, -1.0).unwrap(), Route::weighted(2));
        assert_eq!(nd.route(1, EventKind::Current, 1.0).unwrap_err().kind, ErrorKind::UnknownReceptorType);
    }

    #[test]
    fn psp_matches_closed_form_one_step_later() {
        // Oracle: λ_0 = 0 (no spikes); a current w e^{−t/τ_s} on port 2 gives the closed-form
        // PSP w τ_s τ_m/(C (τ_m − τ_s)) (e^{−t/τ_m} − e^{−t/τ_s}); NEST's multisynapse order
        // lets the current received in step 0 act from step 1 on: V after step k is the PSP at
        // k h. τ_syn = τ_m on port 3 is allowed (singular propagator).
        let mut nd = nodes::<GifPscExpMultisynapse>(1);
        set_status(
            &mut nd,
            &[("lambda_0", Value::Double(0.0)), ("tau_syn", Value::DoubleVec(vec![1.0, 3.0, 20.0]))],
            NAME,
        )
        .unwrap();
        let (w, ts, tm, c) = (100.0, 3.0, 20.0, 80.0);
        let (rec, spikes) = run(&mut nd, 0.1, 300, |t, ch| if t == 0 && ch == 2 { w } else { 0.0 });
        assert!(spikes.is_empty());
        for (k, r) in rec.iter().enumerate() {
            let s = k as f64 * 0.1;
            let psp = w * ts * tm / (c * (tm - ts)) * ((-s / tm).exp() - (-s / ts).exp());
            assert!((r[2] - (-70.0 + psp)).abs() < 1e-12, "k {k}: {} vs {}", r[2], -70.0 + psp);
        }
        // Port 3 (τ_syn = τ_m): the α-like PSP w t/C e^{−t/τ}.
        let mut nd = nodes::<GifPscExpMultisynapse>(1);
        set_status(
            &mut nd,
            &[("lambda_0", Value::Double(0.0)), ("tau_syn", Value::DoubleVec(vec![1.0, 3.0, 20.0]))],
            NAME,
        )
        .unwrap();
        let (rec, _) = run(&mut nd, 0.1, 100, |t, ch| if t == 0 && ch == 3 { w } else { 0.0 });
        for (k, r) in rec.iter().enumerate() {
            let s = k as f64 * 0.1;
            assert!((r[2] - (-70.0 + w * s / c * (-s / tm).exp())).abs() < 1e-9, "k {k}");
        }
    }
}
