//! # glif_cond — generalized leaky integrate-and-fire neuron (GLIF1–5) with alpha conductance receptors
//!
//! The five generalized leaky integrate-and-fire models of the Allen Institute (Teeter et al.
//! 2018) with `n` conductance-based receptor ports, each with its own reversal potential
//! `E_rev[k]` and α-shaped conductance of time constant `tau_syn[k]` (a spike of weight w gives
//! a peak of w nS at t = τ_syn). NEST 3.10's `glif_cond`: the membrane and the conductances are
//! integrated with GSL's RKF45 as NEST does ([`crate::rkf45`], NEST's control on y with
//! eps_abs = 1e−3, eps_rel = 0), the GLIF mechanisms are applied on the grid after each step
//! exactly as in [`crate::glif_psc`]. The flags select GLIF1–5 as there:
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
//! With V = V_m − E_L (NEST keeps voltages relative to E_L):
//!
//! ```text
//! C_m dV/dt    = −g_m V − Σ_k g_k (V + E_L − E_rev,k) + I_stim + I_asc     (0 while refractory)
//! d(dg_k)/dt   = −dg_k / τ_syn,k        dg_k/dt = dg_k − g_k / τ_syn,k
//! ```
//!
//! One step h, V₀ the value at the start of the step:
//!
//! ```text
//! integrate (V, dg_k, g_k) over h with RKF45; I_stim and I_asc (ASCurrents_sum) are those of
//!     the previous step; while refractory V is V_reset − E_L inside the right-hand side
//! not refractory:  GLIF mechanisms' decay (θ_s, the new I_asc), θ_v, θ, threshold crossing
//!                  and reset rules with V₀ as in glif_psc   (see crate::glif)
//! refractory:      one step less, V ← V₀
//! dg_k ← dg_k + e/τ_syn,k · (spike weights on port k)
//! I_stim ← step current received in this step (acts during the next step)
//! ```
//!
//! ## Parameters
//!
//! As [`crate::glif_psc`] (`V_th` −51.68 mV, `E_L` −78.85 mV, `C_m` 58.72 pF, `t_ref` 3.75 ms,
//! `V_reset` −78.85 mV, `th_spike_add` 0.37 mV, `th_spike_decay` 0.009 /ms,
//! `voltage_reset_fraction` 0.2, `voltage_reset_add` 18.51 mV, `th_voltage_index` 0.005 /ms,
//! `th_voltage_decay` 0.09 /ms, `asc_init` [0, 0] pA, `asc_decay` [0.003, 0.1] /ms, `asc_amps`
//! [−9.18, −198.94] pA, `asc_r` [1, 1], the three flags false), except:
//!
//! | NEST name | unit      | default     | meaning                                    |
//! |-----------|-----------|-------------|--------------------------------------------|
//! | `g_m`     | nS        | 9.43        | membrane conductance (`g` in glif_psc)     |
//! | `tau_syn` | ms (list) | [0.2, 2]    | rise time of each port's conductance       |
//! | `E_rev`   | mV (list) | [0, −85]    | reversal potential of each port            |
//!
//! `has_connections` (read-only) is always `false` in nestor. There is no `I_e`: drive the
//! neuron with a current generator.
//!
//! ## Checks
//!
//! In NEST's order, each a `BadProperty` with NEST's message (and the values): the flags form
//! one of GLIF1–5 ("Incorrect model mechanism combination setting.See documents for setting of
//! model mechanism parameters:spike_dependent_threshold, after_spike_currents,
//! adapting_threshold."); `V_reset < V_th`; `C_m > 0`; `g_m > 0`; `t_ref > 0`; with the
//! spike-dependent threshold `th_spike_decay > 0` and `voltage_reset_fraction` in [0, 1]; with
//! after-spike currents equal lengths of the four `asc_*` lists, every `asc_decay` > 0 and
//! every `asc_r` in [0, 1]; with the adapting threshold `th_voltage_decay > 0`; when `tau_syn`
//! or `E_rev` is given, both of the same length ("The reversal potential and synaptic time
//! constant arrays, i.e., E_rev (m) and tau_syn (n), must have the same size.") and every
//! τ_syn > 0. The state checks of [`crate::glif_psc`] (`ASCurrents`, `threshold_spike`,
//! `threshold_voltage` only with their mechanism). Negative weights are accepted (NEST does
//! not check them). At most 128 ports or after-spike currents per neuron (a nestor limit).
//!
//! ## State and recordables
//!
//! * Status: `V_m` (mV, initial −78.85), `ASCurrents` (pA, list); read-only `g` and `dg` (nS,
//!   nS/ms, one entry per port, as of the last run: NEST sizes them when a simulation
//!   starts, so the defaults show one entry). `threshold_spike` and `threshold_voltage` are
//!   settable and recordable but, as in NEST, not shown by GetStatus.
//! * Recordables (NEST's order): `ASCurrents_sum` (the after-spike currents' mean over the last
//!   non-refractory step, pA), `I` (the step current received in the last step, pA), `V_m`
//!   (mV), `g_1` … `g_n` (nS), `threshold` (mV), `threshold_spike`, `threshold_voltage` (mV).
//!
//! ## Events
//!
//! * Sends: spikes.
//! * Receives: spikes on receptors 1..n (weight in nS, any sign); currents on receptor 0 (pA).
//!   Spikes on receptor 0 or above n: `IncompatibleReceptorType`; currents on another receptor:
//!   `UnknownReceptorType`.
//!
//! ## References
//!
//! 1. Teeter C, Iyer R, Menon V, Gouwens N, Feng D, Berg J, Szafer A, Cain N, Zeng H,
//!    Hawrylycz M, Koch C, Mihalas S (2018). Generalized leaky integrate-and-fire models
//!    classify multiple neuron types. Nat Commun 9:709. doi:10.1038/s41467-017-02717-4
//! 2. Meffin H, Burkitt AN, Grayden DB (2004). An analytical model for the large, fluctuating
//!    synaptic conductance state typical of neocortical neurons in vivo. J Comput Neurosci
//!    16:159–175. doi:10.1023/B:JCNS.0000014108.03012.81
//!
//! ## See also
//!
//! [`crate::glif_psc`], [`crate::glif`], [`crate::aeif_cond_alpha_multisynapse`],
//! [`crate::rkf45`].

use crate::glif::{schema, Consts, Core, Flavor, SCHEMA_LEN, V_M};
use crate::multisynapse::{cap_for, put, recordables, PortLists, PortRecordable, Slot, MAX_PORTS};
use crate::neuron::{failure, Neuron, Receptors, CH_PORT_CURRENT};
use crate::rkf45::{evolve_step, Ode, Tolerance};
use nestor_kernel::error::Result;
use nestor_kernel::model::{Emitter, Failure, Inputs, StepCtx};
use nestor_kernel::schema::{ParamSpec, ParamTable};
use nestor_kernel::units::Unit;
use nestor_kernel::value::{Dict, Value};

/// The scalar status entries of `glif_cond`: NEST names, units and defaults.
pub static SCHEMA: [ParamSpec; SCHEMA_LEN] = schema("g_m");

const NAME: &str = "glif_cond";

const FLAVOR: Flavor = Flavor {
    name: NAME,
    g_name: "g_m",
    combo_msg: "Incorrect model mechanism combination setting.See documents for setting of model mechanism parameters:spike_dependent_threshold, after_spike_currents, adapting_threshold.",
    cond_order: true,
    port_lists: &["tau_syn", "E_rev"],
    port_defaults: &[&[0.2, 2.0], &[0.0, -85.0]],
    shows_thresholds: false,
};

/// The recordables besides the conductances.
const FIXED: [&str; 6] = ["ASCurrents_sum", "I", "V_m", "threshold", "threshold_spike", "threshold_voltage"];

/// A chunk of `glif_cond` neurons: internal state beside the status table.
pub struct GlifCond {
    core: Core,
    /// Per-port state: dg_k (0, nS/ms), g_k (1, nS); sized to the ports when a run starts.
    syn: PortLists,
    /// Per-port constants: e/τ_syn,k.
    g0: PortLists,
    /// The suggested integration step of each neuron (NEST's `IntegrationStep_`), ms.
    h_int: Vec<f64>,
    h: f64,
}

/// One neuron's system within a step: y = [V, dg_1, g_1, …, dg_n, g_n] padded with zeros.
struct Sys<'a> {
    c: &'a Consts,
    tau_syn: &'a [f64],
    e_rev: &'a [f64],
    refractory: bool,
    i_stim: f64,
    asc_sum: f64,
}

impl<const CAP: usize> Ode<CAP> for Sys<'_> {
    #[inline(always)]
    fn rhs(&self, y: &[f64; CAP], f: &mut [f64; CAP]) {
        let c = self.c;
        let v = if self.refractory { c.v_reset } else { y[0] };
        let mut i_syn = 0.0;
        for k in 0..self.tau_syn.len() {
            i_syn += y[2 + 2 * k] * (v + c.e_l - self.e_rev[k]);
        }
        let i_leak = c.g * v;
        f[0] = if self.refractory { 0.0 } else { (-i_leak - i_syn + self.i_stim + self.asc_sum) / c.c_m };
        for k in 0..self.tau_syn.len() {
            f[1 + 2 * k] = -y[1 + 2 * k] / self.tau_syn[k];
            f[2 + 2 * k] = y[1 + 2 * k] - y[2 + 2 * k] / self.tau_syn[k];
        }
    }
}

impl GlifCond {
    /// One step of every neuron, with systems of capacity CAP (≥ 1 + 2·ports of each neuron).
    fn step<const CAP: usize>(
        &mut self,
        table: &mut ParamTable,
        ctx: &StepCtx,
        inputs: &Inputs<'_>,
        out: &mut Emitter<'_>,
    ) -> std::result::Result<(), Failure> {
        let in_i = inputs.channel(CH_PORT_CURRENT);
        let v_m = table.col_mut(V_M);
        for i in 0..self.h_int.len() {
            let core = &mut self.core;
            let n = self.syn.ports(i).min(core.ports.ports(i)).min((CAP - 1) / 2);
            let v_old = core.v[i];
            let i_stim = core.i_stim[i];
            let mut y = [0.0; CAP];
            y[0] = v_old;
            let (dg, g) = (self.syn.get(0, i), self.syn.get(1, i));
            for k in 0..n {
                y[1 + 2 * k] = dg[k];
                y[2 + 2 * k] = g[k];
            }
            let mut sys = Sys {
                c: &core.consts[i],
                tau_syn: &core.ports.get(0, i)[..n],
                e_rev: &core.ports.get(1, i)[..n],
                refractory: core.mech[i].r > 0,
                i_stim,
                asc_sum: core.mech[i].asc_sum,
            };
            evolve_step(&mut sys, Tolerance::NEST, self.h, &mut self.h_int[i], &mut y)
                .map_err(|m| failure(i, ctx.t, m))?;
            let mut v = y[0];
            if core.mech[i].r == 0 {
                core.decay(i);
                if core.fire(i, &mut v, v_old, i_stim) {
                    out.spike(i);
                }
            } else {
                core.refractory(i, &mut v, v_old);
            }
            let g0 = self.g0.get(0, i);
            for k in 0..n.min(g0.len()) {
                y[1 + 2 * k] += inputs.channel(1 + k)[i] * g0[k];
            }
            for (k, x) in self.syn.get_mut(0, i).iter_mut().take(n).enumerate() {
                *x = y[1 + 2 * k];
            }
            for (k, x) in self.syn.get_mut(1, i).iter_mut().take(n).enumerate() {
                *x = y[2 + 2 * k];
            }
            core.i_stim[i] = in_i[i];
            core.v[i] = v;
            v_m[i] = v + core.consts[i].e_l;
        }
        Ok(())
    }

    /// The recordables with the chunk's largest number of ports.
    fn recordable_map(&self) -> (Vec<&'static str>, Vec<Slot>) {
        recordables(&FIXED, PortRecordable::G, self.core.ports.max_ports())
    }
}

impl Neuron for GlifCond {
    const NAME: &'static str = NAME;
    const SUMMARY: &'static str =
        "Generalized leaky integrate-and-fire neuron (GLIF1-5) with any number of alpha-shaped conductance receptors (adaptive RKF45)";
    const SCHEMA: &'static [ParamSpec] = &SCHEMA;
    const RECORDABLES: &'static [&'static str] =
        &["ASCurrents_sum", "I", "V_m", "g_1", "g_2", "threshold", "threshold_spike", "threshold_voltage"];
    const DYNAMIC_RECORDABLES: bool = true;
    const RECEPTORS: Receptors = Receptors::Ports;
    const WEIGHT_UNIT: Unit = Unit::NanoSiemens;

    fn new(table: &mut ParamTable) -> Self {
        let n = table.len();
        GlifCond {
            core: Core::new(table, FLAVOR),
            // NEST's state vector starts with one receptor's pair (resized when a run starts).
            syn: PortLists::new(n, &[&[0.0], &[0.0]]),
            g0: PortLists::new(n, &[&[0.0]]),
            h_int: vec![0.0; n],
            h: 0.1,
        }
    }

    fn extra_keys() -> &'static [&'static str] {
        &[
            "asc_init",
            "asc_decay",
            "asc_amps",
            "asc_r",
            "tau_syn",
            "E_rev",
            "has_connections",
            "ASCurrents",
            "threshold_spike",
            "threshold_voltage",
            "g",
            "dg",
        ]
    }

    fn get_extra(&self, i: usize, d: &mut Dict) {
        self.core.get_extra(i, d);
        put(d, "dg", &self.syn, 0, i);
        put(d, "g", &self.syn, 1, i);
    }

    fn set_extra(&mut self, i: usize, entries: &[(&str, &Value)], row: &[f64]) -> Result<()> {
        self.core.set_extra(i, entries, row, &["has_connections", "g", "dg"])
    }

    fn receptor_count(&self) -> usize {
        self.core.ports.max_ports()
    }

    fn prepare(&mut self, t: &mut ParamTable, h: f64) -> Result<()> {
        self.h = h;
        self.core.prepare(t, h);
        for i in 0..t.len() {
            let n = self.core.ports.ports(i);
            self.syn.resize(i, n, &[0.0, 0.0]);
            self.g0.resize(i, n, &[]);
            for k in 0..n {
                self.g0.get_mut(0, i)[k] = 1.0 * std::f64::consts::E / self.core.ports.get(0, i)[k];
            }
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
        match cap_for(self.core.ports.max_ports()) {
            8 => self.step::<8>(table, ctx, inputs, out),
            16 => self.step::<16>(table, ctx, inputs, out),
            34 => self.step::<34>(table, ctx, inputs, out),
            66 => self.step::<66>(table, ctx, inputs, out),
            _ => self.step::<{ 2 + 2 * MAX_PORTS }>(table, ctx, inputs, out),
        }
    }

    fn dynamic_recordables(&self) -> Vec<&'static str> {
        self.recordable_map().0
    }

    fn read(&self, table: &ParamTable, var: usize, i: usize) -> f64 {
        match self.recordable_map().1.get(var) {
            Some(Slot::Fixed(2)) => table.get(V_M, i),
            Some(Slot::Fixed(k)) => self.core.read(FIXED[*k], i).unwrap_or(0.0),
            Some(Slot::Port(k)) => self.syn.get(1, i).get(*k).copied().unwrap_or(0.0),
            None => 0.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::neuron::testing::{nodes, run, set_status as status};
    use nestor_kernel::error::ErrorKind;
    use nestor_kernel::model::{EventKind, Route};

    #[test]
    fn checks_follow_nest() {
        let mut nd = nodes::<GlifCond>(1);
        let e = status(
            &mut nd,
            &[
                ("spike_dependent_threshold", Value::Bool(false)),
                ("after_spike_currents", Value::Bool(true)),
                ("adapting_threshold", Value::Bool(true)),
            ],
            NAME,
        )
        .unwrap_err();
        assert_eq!(e.kind, ErrorKind::BadProperty);
        assert!(e.message.starts_with(FLAVOR.combo_msg), "{}", e.message);
        let e = status(&mut nd, &[("tau_syn", Value::DoubleVec(vec![1.0, 0.0]))], NAME).unwrap_err();
        assert!(e.message.starts_with("All synaptic time constants must be strictly positive."), "{}", e.message);
        let e = status(&mut nd, &[("tau_syn", Value::DoubleVec(vec![1.0, 2.0, 3.0]))], NAME).unwrap_err();
        assert!(
            e.message.starts_with("The reversal potential and synaptic time constant arrays, i.e., E_rev (2) and tau_syn (3), must have the same size."),
            "{}",
            e.message
        );
        let e = status(&mut nd, &[("g_m", Value::Double(0.0))], NAME).unwrap_err();
        assert!(e.message.starts_with("Membrane conductance must be strictly positive."), "{}", e.message);
        // glif_cond checks C_m before the after-spike currents (glif_psc the other way round).
        let e = status(
            &mut nd,
            &[
                ("after_spike_currents", Value::Bool(true)),
                ("asc_r", Value::DoubleVec(vec![2.0, 1.0])),
                ("C_m", Value::Double(0.0)),
            ],
            NAME,
        )
        .unwrap_err();
        assert!(e.message.starts_with("Capacitance must be strictly positive."), "{}", e.message);
        let e = status(&mut nd, &[("g", Value::DoubleVec(vec![1.0]))], NAME).unwrap_err();
        assert_eq!(e.kind, ErrorKind::BadProperty);
        // threshold_* are settable with their mechanism but not shown.
        status(
            &mut nd,
            &[("spike_dependent_threshold", Value::Bool(true)), ("threshold_spike", Value::Double(2.0))],
            NAME,
        )
        .unwrap();
        let mut d = Dict::new();
        nd.get_extra(0, &mut d);
        assert!(!d.contains_key("threshold_spike"));
        assert_eq!(d.get("g"), Some(&Value::DoubleVec(vec![0.0])), "one entry until a run starts, as in NEST");
    }

    #[test]
    fn ports_and_recordables_follow_nest() {
        let mut nd = nodes::<GlifCond>(1);
        assert_eq!(nd.recordables().to_vec(), GlifCond::RECORDABLES.to_vec());
        status(
            &mut nd,
            &[("tau_syn", Value::DoubleVec(vec![1.0, 5.0, 3.0])), ("E_rev", Value::DoubleVec(vec![0.0, 0.0, -85.0]))],
            NAME,
        )
        .unwrap();
        assert_eq!(
            nd.recordables().to_vec(),
            vec![
                "ASCurrents_sum",
                "I",
                "V_m",
                "g_1",
                "g_2",
                "g_3",
                "threshold",
                "threshold_spike",
                "threshold_voltage"
            ]
        );
        assert_eq!(nd.channels(), 4);
        assert_eq!(nd.route(0, EventKind::Spike, 1.0).unwrap_err().kind, ErrorKind::IncompatibleReceptorType);
        assert_eq!(nd.route(2, EventKind::Spike, -1.0).unwrap(), Route::weighted(2));
    }

    #[test]
    fn alpha_conductance_peaks_at_weight_after_tau() {
        // Oracle: g(s) = w (s/τ) e^{1 − s/τ} peaks at s = τ with value w; port 2 only
        // (E_rev = E_L, so V stays at rest).
        let mut nd = nodes::<GlifCond>(1);
        status(&mut nd, &[("E_rev", Value::DoubleVec(vec![0.0, -78.85]))], NAME).unwrap();
        let (rec, spikes) = run(&mut nd, 0.1, 60, |t, ch| if t == 0 && ch == 2 { 5.0 } else { 0.0 });
        assert!(spikes.is_empty());
        let names = nd.recordables().to_vec();
        let (g2, vm) =
            (names.iter().position(|r| *r == "g_2").unwrap(), names.iter().position(|r| *r == "V_m").unwrap());
        for (k, r) in rec.iter().enumerate() {
            let s = k as f64 * 0.1;
            let exact = 5.0 * s / 2.0 * (1.0 - s / 2.0).exp();
            assert!((r[g2] - exact).abs() < 1e-5, "k {k}: {} vs {exact}", r[g2]);
            assert!((r[vm] + 78.85).abs() < 1e-12, "k {k}: {}", r[vm]);
        }
    }
}
