//! # glif_psc — generalized leaky integrate-and-fire neuron (GLIF1–5) with alpha current receptors
//!
//! The five generalized leaky integrate-and-fire models of the Allen Institute (Teeter et al.
//! 2018) with `n` receptor ports, each an α-shaped synaptic current with its own time constant
//! `tau_syn[k]` (a spike of weight w gives a current that peaks at w pA τ_syn,k after the
//! arrival). NEST 3.10's `glif_psc`, integrated exactly on the time grid with NEST's order of
//! floating-point operations. The mechanisms are switched on by three flags; NEST allows five
//! combinations:
//!
//! | model | `spike_dependent_threshold` | `after_spike_currents` | `adapting_threshold` |
//! |-------|-----------------------------|------------------------|----------------------|
//! | GLIF1 (LIF)         | false | false | false |
//! | GLIF2 (LIF_R)       | true  | false | false |
//! | GLIF3 (LIF_ASC)     | false | true  | false |
//! | GLIF4 (LIF_R_ASC)   | true  | true  | false |
//! | GLIF5 (LIF_R_ASC_A) | true  | true  | true  |
//!
//! ## Equations
//!
//! With V = V_m − E_L (NEST keeps voltages relative to E_L), θ_∞ = V_th − E_L:
//!
//! ```text
//! C_m dV/dt = −g V + I_stim + Σ_j I_j + Σ_k I_syn,k
//! dI_j/dt   = −k_j I_j                                  after-spike currents (asc_decay = k_j)
//! dθ_s/dt   = −b_s θ_s                                  spike component (th_spike_decay = b_s)
//! dθ_v/dt   = a_v V − b_v θ_v                           voltage component (th_voltage_index, _decay)
//! spike when V > θ = θ_s + θ_v + θ_∞
//! ```
//!
//! One step h, V₀ the value at the start of the step:
//!
//! ```text
//! not refractory:  GLIF mechanisms' decay (θ_s, mean after-spike current I_asc over the step)
//!                  V ← V₀·P33 + (I_stim + I_asc)·P30;  for k = 1..n: V ← V + P31_k·dI_k + P32_k·I_k
//!                  θ_v, θ, threshold crossing and reset rules    (see crate::glif)
//! refractory:      one step less, V ← V₀
//! I_k ← P21_k·dI_k + P22_k·I_k;  dI_k ← dI_k·P11_k + e/τ_syn,k · (spike weights on port k)
//! I_stim ← step current received in this step (acts during the next step)
//! ```
//!
//! with τ = C_m/g, P33 = e^{−h/τ}, P30 = 1/C_m·(1 − P33)·τ, P11_k = P22_k = e^{−h/τ_syn,k},
//! P21_k = h·P11_k and (P31_k, P32_k) NEST's exact propagators
//! ([`crate::numerics::IafPropagator::alpha`] with τ_m = τ). At a spike: refractory for t_ref
//! (rounded up to steps; V, θ and the after-spike currents are frozen), the after-spike
//! currents jump to asc_amps_j + I_j·asc_r_j·e^{−k_j t_ref}, and V is reset to V_reset
//! (GLIF1/3) or to voltage_reset_fraction·V₀ + voltage_reset_add with θ_s ← θ_s·e^{−b_s t_ref} +
//! th_spike_add (GLIF2/4/5). The mechanisms' update in detail: [`crate::glif`].
//!
//! ## Parameters
//!
//! | NEST name                   | unit        | default          | meaning                                                   |
//! |-----------------------------|-------------|------------------|-----------------------------------------------------------|
//! | `V_th`                      | mV          | −51.68           | instantaneous threshold θ_∞ + E_L                         |
//! | `g`                         | nS          | 9.43             | membrane conductance                                      |
//! | `E_L`                       | mV          | −78.85           | resting membrane potential                                |
//! | `C_m`                       | pF          | 58.72            | membrane capacitance                                      |
//! | `t_ref`                     | ms          | 3.75             | duration of the refractory period                         |
//! | `V_reset`                   | mV          | −78.85           | reset potential (GLIF1, GLIF3)                            |
//! | `th_spike_add`              | mV          | 0.37             | threshold addition following a spike (δθ_s)               |
//! | `th_spike_decay`            | 1/ms        | 0.009            | decay rate b_s of the spike component                     |
//! | `voltage_reset_fraction`    | –           | 0.2              | voltage fraction f_v kept at a spike                      |
//! | `voltage_reset_add`         | mV          | 18.51            | voltage addition δV following a spike                     |
//! | `th_voltage_index`          | 1/ms        | 0.005            | adaptation index a_v of the voltage component             |
//! | `th_voltage_decay`          | 1/ms        | 0.09             | decay rate b_v of the voltage component                   |
//! | `asc_init`                  | pA (list)   | [0, 0]           | initial after-spike currents (see the note in crate::glif)|
//! | `asc_decay`                 | 1/ms (list) | [0.003, 0.1]     | decay rates k_j of the after-spike currents               |
//! | `asc_amps`                  | pA (list)   | [−9.18, −198.94] | after-spike current jumps δI_j                            |
//! | `asc_r`                     | – (list)    | [1, 1]           | fractions r_j of the after-spike currents kept at a spike |
//! | `tau_syn`                   | ms (list)   | \[2\]            | rise time of each port's current (one per port)           |
//! | `spike_dependent_threshold` | bool        | false            | reset rules with a spike component of the threshold       |
//! | `after_spike_currents`      | bool        | false            | after-spike currents                                      |
//! | `adapting_threshold`        | bool        | false            | voltage component of the threshold                        |
//!
//! `has_connections` (read-only) is always `false` in nestor (see below). There is no `I_e`:
//! drive the neuron with a current generator.
//!
//! ## Checks
//!
//! In NEST's order, each a `BadProperty` with NEST's message (and the values): the flags form
//! one of GLIF1–5 ("Incorrect model mechanism combination setting.See documentation for setting
//! of model mechanism parameters:spike_dependent_threshold, after_spike_currents,
//! adapting_threshold."); with after-spike currents, the four `asc_*` lists have equal lengths,
//! every `asc_decay` > 0 and every `asc_r` in [0, 1]; `V_reset < V_th`; `C_m > 0`; `g > 0`;
//! `t_ref > 0`; with the adapting threshold `th_voltage_decay > 0`; with the spike-dependent
//! threshold `th_spike_decay > 0` and `voltage_reset_fraction` in [0, 1]; when `tau_syn` is
//! given, every entry > 0. Then the state: `ASCurrents` only with after-spike currents and as
//! long as `asc_decay`; `threshold_spike` only with the spike-dependent threshold;
//! `threshold_voltage` only with the adapting threshold. At most 128 ports or after-spike
//! currents per neuron (a nestor limit). NEST refuses to change the number of ports of a neuron
//! that has connections; nestor does not track this (`has_connections` stays `false`), so the
//! change is accepted and ports beyond the new count receive no more input.
//!
//! As in NEST, voltages are shown as absolute values but integrated relative to `E_L`; setting
//! `E_L` alone leaves the absolute `V_th`, `V_reset` and `V_m` unchanged.
//!
//! ## State and recordables
//!
//! * Status: `V_m` (mV, initial −78.85), `ASCurrents` (pA, list), `threshold_spike` θ_s and
//!   `threshold_voltage` θ_v (mV, relative).
//! * Recordables (NEST's order): `ASCurrents_sum` (the after-spike currents' mean over the last
//!   non-refractory step, pA), `I` (the step current received in the last step, pA), `I_syn`
//!   (Σ_k I_k at the start of the last non-refractory step, pA), `V_m` (mV), `threshold`
//!   (θ + E_L, mV), `threshold_spike`, `threshold_voltage` (mV).
//!
//! ## Events
//!
//! * Sends: spikes.
//! * Receives: spikes on receptors 1..n (weight in pA, any sign); currents on receptor 0 (pA).
//!   Spikes on receptor 0 or above n: `IncompatibleReceptorType`; currents on another receptor:
//!   `UnknownReceptorType`.
//!
//! ## References
//!
//! 1. Teeter C, Iyer R, Menon V, Gouwens N, Feng D, Berg J, Szafer A, Cain N, Zeng H,
//!    Hawrylycz M, Koch C, Mihalas S (2018). Generalized leaky integrate-and-fire models
//!    classify multiple neuron types. Nat Commun 9:709. doi:10.1038/s41467-017-02717-4
//! 2. Rotter S, Diesmann M (1999). Exact simulation of time-invariant linear systems with
//!    applications to neuronal modeling. Biol Cybern 81:381–402. doi:10.1007/s004220050570
//!
//! ## See also
//!
//! [`crate::glif_cond`], [`crate::glif`], [`crate::iaf_psc_alpha_multisynapse`],
//! [`crate::numerics`].

use crate::glif::{schema, Core, Flavor, SCHEMA_LEN, V_M};
use crate::multisynapse::PortLists;
use crate::neuron::{Neuron, Receptors, CH_PORT_CURRENT};
use crate::numerics::IafPropagator;
use nestor_kernel::error::Result;
use nestor_kernel::model::{Emitter, Failure, Inputs, StepCtx};
use nestor_kernel::schema::{ParamSpec, ParamTable};
use nestor_kernel::units::Unit;
use nestor_kernel::value::{Dict, Value};

/// The scalar status entries of `glif_psc`: NEST names, units and defaults.
pub static SCHEMA: [ParamSpec; SCHEMA_LEN] = schema("g");

const NAME: &str = "glif_psc";

const FLAVOR: Flavor = Flavor {
    name: NAME,
    g_name: "g",
    combo_msg: "Incorrect model mechanism combination setting.See documentation for setting of model mechanism parameters:spike_dependent_threshold, after_spike_currents, adapting_threshold.",
    cond_order: false,
    port_lists: &["tau_syn"],
    port_defaults: &[&[2.0]],
    shows_thresholds: true,
};

const RECORDABLES: [&str; 7] =
    ["ASCurrents_sum", "I", "I_syn", "V_m", "threshold", "threshold_spike", "threshold_voltage"];

/// A chunk of `glif_psc` neurons (`DOUBLE`: `glif_psc_double_alpha`, whose receptors have a
/// fast and a slow alpha component): internal state beside the status table.
pub struct GlifPscN<const DOUBLE: bool> {
    core: Core,
    /// Per-port state: dI_k (0), I_k (1), pA; `DOUBLE`: then the slow component's (2, 3).
    syn: PortLists,
    /// Per-port constants: P11 = P22 (0), P21 (1), P31 (2), P32 (3), e/τ_syn (4); `DOUBLE`:
    /// the slow component's (5..=9, its initial value e/τ_slow · amp_slow).
    pre: PortLists,
    /// Per neuron: P33, P30.
    p33: Vec<f64>,
    p30: Vec<f64>,
    /// Σ_k I_k of the last non-refractory step, pA.
    i_syn: Vec<f64>,
}

/// One port's initial value of a per-port list.
const ZERO: &[f64] = &[0.0];

/// `glif_psc`.
pub type GlifPsc = GlifPscN<false>;

impl<const DOUBLE: bool> GlifPscN<DOUBLE> {
    const FLAVOR: Flavor = if DOUBLE { crate::glif_psc_double_alpha::FLAVOR } else { FLAVOR };
    /// Number of per-port state and constant lists.
    const SYN_LISTS: usize = if DOUBLE { 4 } else { 2 };
    const PRE_LISTS: usize = if DOUBLE { 10 } else { 5 };
}

impl<const DOUBLE: bool> Neuron for GlifPscN<DOUBLE> {
    const NAME: &'static str = Self::FLAVOR.name;
    const SUMMARY: &'static str = if DOUBLE {
        crate::glif_psc_double_alpha::SUMMARY
    } else {
        "Generalized leaky integrate-and-fire neuron (GLIF1-5) with any number of alpha-shaped current receptors (exact integration)"
    };
    const SCHEMA: &'static [ParamSpec] = &SCHEMA;
    const RECORDABLES: &'static [&'static str] = &RECORDABLES;
    const RECEPTORS: Receptors = Receptors::Ports;
    const WEIGHT_UNIT: Unit = Unit::PicoAmpere;

    fn new(table: &mut ParamTable) -> Self {
        let n = table.len();
        GlifPscN {
            core: Core::new(table, Self::FLAVOR),
            syn: PortLists::new(n, &[ZERO; 4][..Self::SYN_LISTS]),
            pre: PortLists::new(n, &[ZERO; 10][..Self::PRE_LISTS]),
            p33: vec![0.0; n],
            p30: vec![0.0; n],
            i_syn: vec![0.0; n],
        }
    }

    fn extra_keys() -> &'static [&'static str] {
        if DOUBLE {
            crate::glif_psc_double_alpha::EXTRA_KEYS
        } else {
            &[
                "asc_init",
                "asc_decay",
                "asc_amps",
                "asc_r",
                "tau_syn",
                "has_connections",
                "ASCurrents",
                "threshold_spike",
                "threshold_voltage",
            ]
        }
    }

    fn get_extra(&self, i: usize, d: &mut Dict) {
        self.core.get_extra(i, d);
    }

    fn set_extra(&mut self, i: usize, entries: &[(&str, &Value)], row: &[f64]) -> Result<()> {
        self.core.set_extra(i, entries, row, &["has_connections"])
    }

    fn receptor_count(&self) -> usize {
        self.core.ports.max_ports()
    }

    fn prepare(&mut self, t: &mut ParamTable, h: f64) -> Result<()> {
        self.core.prepare(t, h);
        for i in 0..t.len() {
            let c = self.core.consts[i];
            let tau = c.c_m / c.g;
            self.p33[i] = (-h / tau).exp();
            self.p30[i] = 1.0 / c.c_m * (1.0 - self.p33[i]) * tau;
            let n = self.core.ports.ports(i);
            self.syn.resize(i, n, &[0.0; 4][..Self::SYN_LISTS]);
            self.pre.resize(i, n, &[]);
            for k in 0..n {
                // (τ, amplitude) of the fast (or only) and the slow component.
                let shapes = if DOUBLE {
                    vec![
                        (self.core.ports.get(0, i)[k], 1.0),
                        (self.core.ports.get(1, i)[k], self.core.ports.get(2, i)[k]),
                    ]
                } else {
                    vec![(self.core.ports.get(0, i)[k], 1.0)]
                };
                for (s, (tau_syn, amp)) in shapes.into_iter().enumerate() {
                    let p11 = (-h / tau_syn).exp();
                    let (p31, p32) = IafPropagator::new(tau_syn, tau, c.c_m).alpha(h);
                    // NEST scales only the slow component's initial value by its amplitude.
                    let y0 = if s == 0 {
                        1.0 * std::f64::consts::E / tau_syn
                    } else {
                        1.0 * std::f64::consts::E / tau_syn * amp
                    };
                    for (l, x) in [p11, h * p11, p31, p32, y0].into_iter().enumerate() {
                        self.pre.get_mut(5 * s + l, i)[k] = x;
                    }
                }
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
        let v_m = table.col_mut(V_M);
        for i in 0..self.p33.len() {
            let core = &mut self.core;
            let v_old = core.v[i];
            let i_stim = core.i_stim[i];
            let n = self.syn.ports(i).min(self.pre.ports(i));
            let mut v = v_old;
            if core.mech[i].r == 0 {
                core.decay(i);
                v = v_old * self.p33[i] + (i_stim + core.mech[i].asc_sum) * self.p30[i];
                // NEST adds all fast components, then all slow ones; I_syn is fast + slow.
                let mut i_syn = [0.0; 2];
                for (s, sum) in i_syn.iter_mut().enumerate().take(Self::SYN_LISTS / 2) {
                    let (p31, p32) = (&self.pre.get(5 * s + 2, i)[..n], &self.pre.get(5 * s + 3, i)[..n]);
                    let (y1, y2) = (&self.syn.get(2 * s, i)[..n], &self.syn.get(2 * s + 1, i)[..n]);
                    for k in 0..n {
                        v += p31[k] * y1[k] + p32[k] * y2[k];
                        *sum += y2[k];
                    }
                }
                self.i_syn[i] = if DOUBLE { i_syn[0] + i_syn[1] } else { i_syn[0] };
                if core.fire(i, &mut v, v_old, i_stim) {
                    out.spike(i);
                }
            } else {
                core.refractory(i, &mut v, v_old);
            }
            for k in 0..n {
                let spikes = inputs.channel(1 + k)[i];
                for s in 0..Self::SYN_LISTS / 2 {
                    let pre = |l: usize| self.pre.get(5 * s + l, i)[k];
                    let (p11, p21, g0) = (pre(0), pre(1), pre(4));
                    let y1 = self.syn.get(2 * s, i)[k];
                    self.syn.get_mut(2 * s + 1, i)[k] = p21 * y1 + p11 * self.syn.get(2 * s + 1, i)[k];
                    self.syn.get_mut(2 * s, i)[k] = y1 * p11 + g0 * spikes;
                }
            }
            core.i_stim[i] = in_i[i];
            core.v[i] = v;
            v_m[i] = v + core.consts[i].e_l;
        }
        Ok(())
    }

    fn read(&self, _table: &ParamTable, var: usize, i: usize) -> f64 {
        match RECORDABLES.get(var) {
            Some(&"I_syn") => self.i_syn[i],
            Some(name) => self.core.read(name, i).unwrap_or(0.0),
            None => 0.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::neuron::testing::{nodes, run, set_status};
    use nestor_kernel::error::ErrorKind;
    use nestor_kernel::model::{EventKind, Node, Route};

    fn status(nd: &mut Box<dyn Node>, d: &[(&str, Value)], name: &str) -> Result<()> {
        set_status(nd, d, name)
    }

    fn flags(ts: bool, asc: bool, tv: bool) -> Vec<(&'static str, Value)> {
        vec![
            ("spike_dependent_threshold", Value::Bool(ts)),
            ("after_spike_currents", Value::Bool(asc)),
            ("adapting_threshold", Value::Bool(tv)),
        ]
    }

    #[test]
    fn checks_follow_nest() {
        let mut nd = nodes::<GlifPsc>(1);
        // GLIF1–5 are accepted, the three other combinations refused with NEST's text.
        for (ts, asc, tv) in
            [(false, false, false), (true, false, false), (false, true, false), (true, true, false), (true, true, true)]
        {
            status(&mut nd, &flags(ts, asc, tv), NAME).unwrap();
        }
        for (ts, asc, tv) in [(false, false, true), (true, false, true), (false, true, true)] {
            let e = status(&mut nd, &flags(ts, asc, tv), NAME).unwrap_err();
            assert_eq!(e.kind, ErrorKind::BadProperty);
            assert!(e.message.starts_with(FLAVOR.combo_msg), "{}", e.message);
        }
        // A refused change leaves the neuron as it was (GLIF5 from the loop above).
        assert_eq!(nd.table().get(crate::glif::V_TH, 0), -51.68);
        let e = status(&mut nd, &[("tau_syn", Value::DoubleVec(vec![1.0, -2.0]))], NAME).unwrap_err();
        assert!(e.message.starts_with("All synaptic time constants must be strictly positive."), "{}", e.message);
        let e = status(&mut nd, &[("asc_decay", Value::DoubleVec(vec![0.1, -0.2]))], NAME).unwrap_err();
        assert!(e.message.starts_with("After-spike current time constant must be strictly positive."), "{}", e.message);
        let e = status(&mut nd, &[("asc_r", Value::DoubleVec(vec![0.5]))], NAME).unwrap_err();
        assert!(e.message.starts_with("All after spike current parameters"), "{}", e.message);
        let e = status(&mut nd, &[("th_voltage_decay", Value::Double(0.0))], NAME).unwrap_err();
        assert!(e.message.starts_with("Voltage-induced threshold time constant"), "{}", e.message);
        let e = status(&mut nd, &[("voltage_reset_fraction", Value::Double(1.5))], NAME).unwrap_err();
        assert!(e.message.starts_with("Voltage fraction coefficient"), "{}", e.message);
        for (k, msg) in [
            ("C_m", "Capacitance must be strictly positive."),
            ("g", "Membrane conductance must be strictly positive."),
            ("t_ref", "Refractory time constant must be strictly positive."),
        ] {
            let e = status(&mut nd, &[(k, Value::Double(-1.0))], NAME).unwrap_err();
            assert!(e.message.starts_with(msg), "{}", e.message);
        }
        let e = status(&mut nd, &[("V_reset", Value::Double(-40.0))], NAME).unwrap_err();
        assert!(e.message.starts_with("Reset potential must be smaller than threshold."), "{}", e.message);
        // NEST checks the after-spike currents before C_m (glif_cond the other way round).
        let e = status(&mut nd, &[("asc_r", Value::DoubleVec(vec![2.0, 1.0])), ("C_m", Value::Double(0.0))], NAME)
            .unwrap_err();
        assert!(e.message.starts_with("After spike current fraction"), "{}", e.message);
        // State entries only with their mechanism.
        status(&mut nd, &flags(false, false, false), NAME).unwrap();
        for (k, v) in [
            ("ASCurrents", Value::DoubleVec(vec![1.0, 2.0])),
            ("threshold_spike", Value::Double(1.0)),
            ("threshold_voltage", Value::Double(1.0)),
        ] {
            let e = status(&mut nd, &[(k, v)], NAME).unwrap_err();
            assert!(e.message.contains("not supported or settable"), "{}", e.message);
        }
        status(&mut nd, &flags(true, true, true), NAME).unwrap();
        let e = status(&mut nd, &[("ASCurrents", Value::DoubleVec(vec![1.0]))], NAME).unwrap_err();
        assert!(e.message.starts_with("After spike current values must have have the same size (2)"), "{}", e.message);
        status(
            &mut nd,
            &[("ASCurrents", Value::DoubleVec(vec![1.0, 2.0])), ("threshold_spike", Value::Double(0.5))],
            NAME,
        )
        .unwrap();
        let mut d = Dict::new();
        nd.get_extra(0, &mut d);
        assert_eq!(d.get("ASCurrents"), Some(&Value::DoubleVec(vec![1.0, 2.0])));
        assert_eq!(d.get("threshold_spike"), Some(&Value::Double(0.5)));
        assert_eq!(
            status(&mut nd, &[("has_connections", Value::Bool(true))], NAME).unwrap_err().kind,
            ErrorKind::BadProperty
        );
    }

    #[test]
    fn ports_route_as_nest() {
        let mut nd = nodes::<GlifPsc>(1);
        assert_eq!(nd.recordables().to_vec(), RECORDABLES.to_vec());
        status(&mut nd, &[("tau_syn", Value::DoubleVec(vec![1.0, 5.0, 3.0]))], NAME).unwrap();
        assert_eq!(nd.channels(), 4);
        assert_eq!(nd.route(0, EventKind::Spike, 1.0).unwrap_err().kind, ErrorKind::IncompatibleReceptorType);
        assert_eq!(nd.route(4, EventKind::Spike, 1.0).unwrap_err().kind, ErrorKind::IncompatibleReceptorType);
        assert_eq!(nd.route(2, EventKind::Spike, -1.0).unwrap(), Route::weighted(2));
        assert_eq!(nd.route(1, EventKind::Current, 1.0).unwrap_err().kind, ErrorKind::UnknownReceptorType);
    }

    #[test]
    fn glif1_psp_and_dc_period_match_closed_form() {
        // Oracle 1: the PSP of an α current w (t/τ_s) e^{1−t/τ_s} in a leaky membrane (τ = C/g):
        // V(t) = w e/τ_s · [τ_s τ/(τ − τ_s)]/C · (B(e^{−t/τ} − e^{−t/τ_s}) − t e^{−t/τ_s}),
        // B = τ_s τ/(τ − τ_s).
        let mut nd = nodes::<GlifPsc>(1);
        let (w, ts, c, g) = (50.0, 2.0, 58.72, 9.43);
        let tau = c / g;
        let (rec, spikes) = run(&mut nd, 0.1, 200, |t, ch| if t == 0 && ch == 1 { w } else { 0.0 });
        assert!(spikes.is_empty());
        let b = ts * tau / (tau - ts);
        for (k, r) in rec.iter().enumerate() {
            let s = k as f64 * 0.1;
            let psp =
                w * std::f64::consts::E / ts * b / c * (b * ((-s / tau).exp() - (-s / ts).exp()) - s * (-s / ts).exp());
            assert!((r[3] - (-78.85 + psp)).abs() < 1e-11, "k {k}: {} vs {}", r[3], -78.85 + psp);
        }
        // Oracle 2: with a constant current I (from step 1 on) V reaches θ_∞ = 27.17 mV when
        // I/g (1 − e^{−t/τ}) = θ_∞; the first spike is the first step whose V exceeds it.
        let mut nd = nodes::<GlifPsc>(1);
        let i = 400.0;
        let (_, spikes) = run(&mut nd, 0.1, 1000, |_, ch| if ch == 0 { i } else { 0.0 });
        let t = -tau * (1.0 - 27.17 * g / i).ln();
        assert_eq!(spikes[0], (t / 0.1).ceil() as i64 + 1);
        // Reset to V_reset and refractory for 38 steps, then the same climb again.
        assert_eq!(spikes[1] - spikes[0], (t / 0.1).ceil() as i64 + 38);
    }
}
