//! # aeif_cond_alpha_multisynapse — AdEx neuron with any number of alpha-conductance receptors
//!
//! The AdEx model of Brette & Gerstner (2005) with `n` conductance-based receptor ports, each
//! with its own reversal potential `E_rev[k]` and α-shaped conductance of time constant
//! `tau_syn[k]` (a spike of weight w gives a peak of w nS at t = τ_syn). NEST 3.10's
//! `aeif_cond_alpha_multisynapse`, integrated with GSL's RKF45 as NEST does ([`crate::rkf45`],
//! spike handling in [`crate::aeif`]). [`crate::aeif_cond_beta_multisynapse`] is the same
//! neuron with β-shaped conductances; both are built from [`AdexPorts`] here.
//!
//! ## Equations
//!
//! ```text
//! C_m dV/dt = −g_L (V − E_L) + g_L Δ_T exp((V − V_th)/Δ_T) + Σ_k g_k (E_rev,k − V) − w + I_e + I_stim
//! τ_w dw/dt = a (V − E_L) − w
//! d(dg_k)/dt = −dg_k / τ_syn,k        dg_k/dt = dg_k − g_k / τ_syn,k
//! V = V_reset while refractory, otherwise min(V_m, V_peak)   (inside the right-hand side)
//! ```
//!
//! Spike handling as the other AdEx models ([`crate::aeif`]). After the step, spikes on
//! receptor k add w·e/τ_syn,k to dg_k; step currents (receptor 0) act during the next step.
//!
//! ## Parameters
//!
//! The AdEx parameters of [`crate::aeif_cond_alpha`] (`C_m` 281 pF, `g_L` 30 nS, `E_L` −70.6 mV,
//! `V_th` −50.4 mV, `Delta_T` 2 mV, `V_peak` 0 mV, `V_reset` −60 mV, `t_ref` 0 ms, `a` 4 nS,
//! `b` 80.5 pA, `tau_w` 144 ms, `I_e` 0 pA, `gsl_error_tol` 1e−6) and per receptor port:
//!
//! | NEST name | unit | default | meaning                              |
//! |-----------|------|---------|--------------------------------------|
//! | `E_rev`   | mV   | [0]     | reversal potential of each port      |
//! | `tau_syn` | ms   | [2]     | rise time of each port's conductance |
//!
//! `n_receptors` (read-only) is the number of ports. Changing it needs both lists, of equal
//! length ("If the number of receptor ports is changed, both arrays E_rev and tau_syn must be
//! provided."); every τ_syn > 0. Then NEST's AdEx checks: V_peak ≥ V_th; V_reset < V_peak;
//! Δ_T ≥ 0 and no overflow at V_peak; C_m > 0; t_ref ≥ 0; τ_w > 0; gsl_error_tol > 0. At most
//! 128 ports per neuron (a nestor limit).
//!
//! ## State and recordables
//!
//! * Status: `V_m` (initial −70.6), `w` (pA); read-only `g`, `dg` (one entry per port).
//! * Recordables: `V_m`, `g_1` … `g_n`, `w` (NEST's order).
//!
//! ## Events
//!
//! Sends spikes. Receives spikes on receptors 1..n (weights in nS, not negative: a negative
//! weight is refused at Connect with NEST's message, NEST refuses it at delivery), currents on
//! receptor 0 (pA). Spikes on receptor 0 or above n: `IncompatibleReceptorType`.
//!
//! ## References
//!
//! 1. Brette R, Gerstner W (2005). Adaptive exponential integrate-and-fire model as an effective
//!    description of neuronal activity. J Neurophysiol 94:3637–3642. doi:10.1152/jn.00686.2005
//!
//! ## See also
//!
//! [`crate::aeif_cond_alpha`], [`crate::aeif_cond_beta_multisynapse`], [`crate::multisynapse`].

use crate::aeif::{check, emit_and_count_down, Adex, AdexChecks, AdexCols};
use crate::multisynapse::{cap_for, given, put, recordables, refuse_read_only, PortLists, PortRecordable, Slot};
use crate::neuron::{col, failure, Neuron, Receptors, CH_PORT_CURRENT};
use crate::rkf45::{evolve_step, Ode};
use nestor_kernel::error::{Error, Result};
use nestor_kernel::model::{Emitter, EventKind, Failure, Inputs, Route, StepCtx};
use nestor_kernel::schema::{ParamSpec, ParamTable};
use nestor_kernel::units::Unit;
use nestor_kernel::value::{Dict, Value};
use std::marker::PhantomData;

/// The scalar status entries of the AdEx multisynapse models: NEST names, units and defaults.
pub static SCHEMA: [ParamSpec; 17] = [
    ParamSpec::param("C_m", Unit::PicoFarad, 281.0, "Capacitance of the membrane"),
    ParamSpec::param("V_th", Unit::MilliVolt, -50.4, "Spike initiation threshold"),
    ParamSpec::param("t_ref", Unit::Millisecond, 0.0, "Duration of refractory period"),
    ParamSpec::param("g_L", Unit::NanoSiemens, 30.0, "Leak conductance"),
    ParamSpec::param("E_L", Unit::MilliVolt, -70.6, "Leak reversal potential"),
    ParamSpec::param("V_reset", Unit::MilliVolt, -60.0, "Reset potential"),
    ParamSpec::param("a", Unit::NanoSiemens, 4.0, "Subthreshold adaptation"),
    ParamSpec::param("b", Unit::PicoAmpere, 80.5, "Spike-triggered adaptation"),
    ParamSpec::param("Delta_T", Unit::MilliVolt, 2.0, "Slope factor"),
    ParamSpec::param("tau_w", Unit::Millisecond, 144.0, "Adaptation time constant"),
    ParamSpec::param("I_e", Unit::PicoAmpere, 0.0, "Constant input current"),
    ParamSpec::param("V_peak", Unit::MilliVolt, 0.0, "Spike detection threshold"),
    ParamSpec::param("gsl_error_tol", Unit::Dimensionless, 1e-6, "Error bound of the integrator"),
    ParamSpec::state("V_m", Unit::MilliVolt, -70.6, "Membrane potential"),
    ParamSpec::state("w", Unit::PicoAmpere, 0.0, "Adaptation current"),
    ParamSpec::param("tau_minus", Unit::Millisecond, 20.0, "Time constant of the K- trace read by STDP synapses"),
    ParamSpec::param("tau_minus_triplet", Unit::Millisecond, 110.0, "Time constant of the triplet K- trace"),
];

const ADEX: AdexCols = AdexCols::of(&SCHEMA);
const V_M: usize = col(&SCHEMA, "V_m");
const W: usize = col(&SCHEMA, "w");

/// The conductance shape of each port: what distinguishes the α and β multisynapse models.
pub trait PortKinetics: Send + 'static {
    /// NEST's model name.
    const NAME: &'static str;
    /// One line for `nestor models`.
    const SUMMARY: &'static str;
    /// The per-port parameter lists, `E_rev` first.
    const LISTS: &'static [&'static str];
    /// Their defaults (one port).
    const DEFAULTS: &'static [&'static [f64]];
    /// NEST's message when the number of ports changes without every list.
    const ALL_LISTS_MSG: &'static str;
    /// NEST's message when the lists differ in length.
    const SAME_SIZE_MSG: &'static str;
    /// NEST's checks of one port's time constants (`lists[l][k]`).
    fn check_port(lists: &[Vec<f64>], k: usize) -> Result<()>;
    /// (τ of dg, τ of g) of port k.
    fn taus(lists: &PortLists, i: usize, k: usize) -> (f64, f64);
    /// The dg jump of a unit weight on a port with time constants (τ_rise, τ_decay).
    fn g0(tau_rise: f64, tau_decay: f64) -> f64;
}

/// α-shaped conductances (`tau_syn`).
pub struct Alpha;

impl PortKinetics for Alpha {
    const NAME: &'static str = "aeif_cond_alpha_multisynapse";
    const SUMMARY: &'static str =
        "Adaptive exponential integrate-and-fire model with any number of alpha-conductance receptors (adaptive RKF45)";
    const LISTS: &'static [&'static str] = &["E_rev", "tau_syn"];
    const DEFAULTS: &'static [&'static [f64]] = &[&[0.0], &[2.0]];
    const ALL_LISTS_MSG: &'static str =
        "If the number of receptor ports is changed, both arrays E_rev and tau_syn must be provided.";
    const SAME_SIZE_MSG: &'static str =
        "The reversal potential, and synaptic time constant arrays must have the same size.";
    fn check_port(lists: &[Vec<f64>], k: usize) -> Result<()> {
        if lists[1][k] <= 0.0 {
            return Err(Error::bad_property(format!(
                "All synaptic time constants must be strictly positive (got tau_syn[{k}] = {} ms)",
                lists[1][k]
            )));
        }
        Ok(())
    }
    #[inline(always)]
    fn taus(lists: &PortLists, i: usize, k: usize) -> (f64, f64) {
        let t = lists.get(1, i)[k];
        (t, t)
    }
    fn g0(tau_rise: f64, _tau_decay: f64) -> f64 {
        1.0 * std::f64::consts::E / tau_rise
    }
}

/// The AdEx multisynapse neuron with port kinetics `K` (a chunk's internal state).
pub struct AdexPorts<K: PortKinetics> {
    /// Per-port parameters: `K::LISTS`.
    params: PortLists,
    /// Per-port state: dg (0), g (1).
    state: PortLists,
    /// Per-port constants from `prepare`: τ of dg (0), τ of g (1), unit jump (2).
    pre: PortLists,
    r: Vec<i64>,
    i_stim: Vec<f64>,
    h_int: Vec<f64>,
    adex: Vec<Adex>,
    h: f64,
    kinetics: PhantomData<fn() -> K>,
}

/// The model `aeif_cond_alpha_multisynapse`.
pub type AeifCondAlphaMultisynapse = AdexPorts<Alpha>;

/// One neuron's system within a step: y = [V, w, dg_1, g_1, …] padded with zeros to CAP.
struct Sys<'a, const CAP: usize> {
    p: &'a Adex,
    e_rev: &'a [f64],
    /// Per port: τ of dg, τ of g.
    tau_dg: &'a [f64],
    tau_g: &'a [f64],
    r: i64,
    i_stim: f64,
    spikes: u32,
}

impl<const CAP: usize> Ode<CAP> for Sys<'_, CAP> {
    #[inline(always)]
    fn rhs(&self, y: &[f64; CAP], f: &mut [f64; CAP]) {
        let p = self.p;
        let refr = self.r > 0;
        let v = p.v(refr, y[0]);
        let mut i_syn = 0.0;
        for k in 0..self.e_rev.len() {
            i_syn += y[3 + 2 * k] * (self.e_rev[k] - v);
        }
        let i_spike = p.i_spike(v);
        f[0] = if refr { 0.0 } else { (-p.g_l * (v - p.e_l) + i_spike + i_syn - y[1] + p.i_e + self.i_stim) / p.c_m };
        f[1] = p.dw(v, y[1]);
        for k in 0..self.e_rev.len() {
            f[2 + 2 * k] = -y[2 + 2 * k] / self.tau_dg[k];
            f[3 + 2 * k] = y[2 + 2 * k] - y[3 + 2 * k] / self.tau_g[k];
        }
    }
    fn after_apply(&mut self, _t: f64, y: &mut [f64; CAP]) -> std::result::Result<(), String> {
        self.p.after_apply(y, 1, &mut self.r, &mut self.spikes)
    }
}

impl<K: PortKinetics> AdexPorts<K> {
    /// One step of every neuron, with systems of capacity CAP (≥ 2 + 2·ports of each neuron).
    fn step<const CAP: usize>(
        &mut self,
        table: &mut ParamTable,
        ctx: &StepCtx,
        inputs: &Inputs<'_>,
        out: &mut Emitter<'_>,
    ) -> std::result::Result<(), Failure> {
        let in_i = inputs.channel(CH_PORT_CURRENT);
        let cols = table.cols_mut();
        for i in 0..self.r.len() {
            let n = self.params.ports(i);
            let mut y = [0.0; CAP];
            y[0] = cols[V_M][i];
            y[1] = cols[W][i];
            let (dg, g) = (self.state.get(0, i), self.state.get(1, i));
            for k in 0..n {
                y[2 + 2 * k] = dg[k];
                y[3 + 2 * k] = g[k];
            }
            let p = &self.adex[i];
            let mut sys = Sys::<CAP> {
                p,
                e_rev: self.params.get(0, i),
                tau_dg: self.pre.get(0, i),
                tau_g: self.pre.get(1, i),
                r: self.r[i],
                i_stim: self.i_stim[i],
                spikes: 0,
            };
            evolve_step(&mut sys, p.tolerance(), self.h, &mut self.h_int[i], &mut y)
                .map_err(|m| failure(i, ctx.t, m))?;
            self.r[i] = emit_and_count_down(out, i, sys.spikes, sys.r);
            let g0 = self.pre.get(2, i);
            for k in 0..n {
                y[2 + 2 * k] += inputs.channel(1 + k)[i] * g0[k];
            }
            self.i_stim[i] = in_i[i];
            cols[V_M][i] = y[0];
            cols[W][i] = y[1];
            let st = &mut self.state;
            for (k, x) in st.get_mut(0, i).iter_mut().enumerate() {
                *x = y[2 + 2 * k];
            }
            for (k, x) in st.get_mut(1, i).iter_mut().enumerate() {
                *x = y[3 + 2 * k];
            }
        }
        Ok(())
    }

    /// The recordables with the chunk's largest number of ports.
    fn recordable_map(&self) -> (Vec<&'static str>, Vec<Slot>) {
        recordables(&["V_m", "w"], PortRecordable::G, self.params.max_ports())
    }
}

impl<K: PortKinetics> Neuron for AdexPorts<K> {
    const NAME: &'static str = K::NAME;
    const SUMMARY: &'static str = K::SUMMARY;
    const SCHEMA: &'static [ParamSpec] = &SCHEMA;
    const RECORDABLES: &'static [&'static str] = &["V_m", "g_1", "w"];
    const DYNAMIC_RECORDABLES: bool = true;
    const RECEPTORS: Receptors = Receptors::Ports;
    const WEIGHT_UNIT: Unit = Unit::NanoSiemens;

    fn new(table: &mut ParamTable) -> Self {
        let n = table.len();
        AdexPorts {
            params: PortLists::new(n, K::DEFAULTS),
            state: PortLists::new(n, &[&[0.0], &[0.0]]),
            pre: PortLists::new(n, &[&[0.0], &[0.0], &[0.0]]),
            r: vec![0; n],
            i_stim: vec![0.0; n],
            h_int: vec![0.0; n],
            adex: Vec::new(),
            h: 0.1,
            kinetics: PhantomData,
        }
    }

    fn check(row: &[f64]) -> Result<()> {
        check(
            row,
            &ADEX,
            &AdexChecks {
                peak_first: true,
                reset_msg: "Ensure that: V_reset < V_peak .",
                c_m_msg: "Capacitance must be strictly positive.",
                taus: &[],
                tau_msg: "All time constants must be strictly positive.",
            },
        )
    }

    fn extra_keys() -> &'static [&'static str] {
        match K::LISTS.len() {
            2 => &["E_rev", "tau_syn", "n_receptors", "has_connections", "g", "dg"],
            _ => &["E_rev", "tau_rise", "tau_decay", "n_receptors", "has_connections", "g", "dg"],
        }
    }

    fn get_extra(&self, i: usize, d: &mut Dict) {
        for (l, key) in K::LISTS.iter().enumerate() {
            put(d, key, &self.params, l, i);
        }
        d.insert("n_receptors".into(), Value::Int(self.params.ports(i) as i64));
        d.insert("has_connections".into(), Value::Bool(false));
        put(d, "dg", &self.state, 0, i);
        put(d, "g", &self.state, 1, i);
    }

    fn set_extra(&mut self, i: usize, entries: &[(&str, &Value)], _row: &[f64]) -> Result<()> {
        refuse_read_only(entries, &["n_receptors", "has_connections", "g", "dg"], K::NAME)?;
        let lists = given(entries, K::LISTS)?;
        if lists.iter().all(Option::is_none) {
            return Ok(());
        }
        let old_n = self.params.ports(i);
        let changes = lists.iter().flatten().any(|l| l.len() != old_n);
        if changes && lists.iter().any(Option::is_none) {
            return Err(Error::bad_property(K::ALL_LISTS_MSG));
        }
        let full: Vec<Vec<f64>> =
            lists.into_iter().enumerate().map(|(l, v)| v.unwrap_or_else(|| self.params.get(l, i).to_vec())).collect();
        if full.iter().any(|l| l.len() != full[0].len()) {
            let sizes: Vec<String> = K::LISTS.iter().zip(&full).map(|(k, l)| format!("{k}: {}", l.len())).collect();
            return Err(Error::bad_property(format!("{} (got {})", K::SAME_SIZE_MSG, sizes.join(", "))));
        }
        for k in 0..full[0].len() {
            K::check_port(&full, k)?;
        }
        let n = full[0].len();
        self.params.set(i, &full);
        self.state.resize(i, n, &[0.0, 0.0]);
        self.pre.resize(i, n, &[0.0, 0.0, 0.0]);
        Ok(())
    }

    fn receptor_count(&self) -> usize {
        self.params.max_ports()
    }

    fn custom_route(&self, receptor: i64, kind: EventKind, weight: f64) -> Option<Result<Route>> {
        if kind.is_spike() && weight < 0.0 && receptor >= 1 {
            return Some(Err(Error::bad_property(format!(
                "Synaptic weights for conductance-based multisynapse models must be positive. (got weight {weight} nS on receptor {receptor} of {})",
                K::NAME
            ))));
        }
        None
    }

    fn prepare(&mut self, t: &mut ParamTable, h: f64) -> Result<()> {
        self.h = h;
        self.adex = (0..t.len()).map(|i| Adex::of(t, &ADEX, i, h)).collect();
        for i in 0..t.len() {
            for k in 0..self.params.ports(i) {
                let (tr, td) = K::taus(&self.params, i, k);
                let pre = &mut self.pre;
                pre.get_mut(0, i)[k] = tr;
                pre.get_mut(1, i)[k] = td;
                pre.get_mut(2, i)[k] = K::g0(tr, td);
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
        match cap_for(self.params.max_ports()) {
            8 => self.step::<8>(table, ctx, inputs, out),
            16 => self.step::<16>(table, ctx, inputs, out),
            34 => self.step::<34>(table, ctx, inputs, out),
            66 => self.step::<66>(table, ctx, inputs, out),
            _ => self.step::<{ 2 + 2 * crate::multisynapse::MAX_PORTS }>(table, ctx, inputs, out),
        }
    }

    fn dynamic_recordables(&self) -> Vec<&'static str> {
        self.recordable_map().0
    }

    fn read(&self, table: &ParamTable, var: usize, i: usize) -> f64 {
        match self.recordable_map().1.get(var) {
            Some(Slot::Fixed(0)) => table.get(V_M, i),
            Some(Slot::Fixed(_)) => table.get(W, i),
            Some(Slot::Port(k)) => self.state.get(1, i).get(*k).copied().unwrap_or(0.0),
            None => 0.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::neuron::testing::{nodes, run};
    use nestor_kernel::error::ErrorKind;

    fn set(nd: &mut Box<dyn nestor_kernel::model::Node>, d: &[(&str, Value)]) -> Result<()> {
        let entries: Vec<(&str, &Value)> = d.iter().map(|(k, v)| (*k, v)).collect();
        let row = nd.table().row(0);
        nd.set_extra(0, &entries, &row, Alpha::NAME)
    }

    #[test]
    fn ports_follow_nest_rules() {
        let mut nd = nodes::<AeifCondAlphaMultisynapse>(1);
        assert_eq!(nd.recordables().to_vec(), vec!["V_m", "g_1", "w"]);
        let e = set(&mut nd, &[("tau_syn", Value::DoubleVec(vec![1.0, 2.0]))]).unwrap_err();
        assert!(e.message.contains("both arrays E_rev and tau_syn"), "{}", e.message);
        let e = set(
            &mut nd,
            &[("tau_syn", Value::DoubleVec(vec![1.0, 0.0])), ("E_rev", Value::DoubleVec(vec![0.0, -80.0]))],
        )
        .unwrap_err();
        assert!(e.message.contains("strictly positive"), "{}", e.message);
        set(
            &mut nd,
            &[("tau_syn", Value::DoubleVec(vec![1.0, 5.0, 3.0])), ("E_rev", Value::DoubleVec(vec![0.0, -80.0, 0.0]))],
        )
        .unwrap();
        assert_eq!(nd.recordables().to_vec(), vec!["V_m", "g_1", "g_2", "g_3", "w"]);
        assert_eq!(nd.channels(), 4);
        assert_eq!(nd.route(0, EventKind::Spike, 1.0).unwrap_err().kind, ErrorKind::IncompatibleReceptorType);
        assert_eq!(nd.route(4, EventKind::Spike, 1.0).unwrap_err().kind, ErrorKind::IncompatibleReceptorType);
        assert_eq!(nd.route(2, EventKind::Spike, -1.0).unwrap_err().kind, ErrorKind::BadProperty);
        assert_eq!(nd.route(3, EventKind::Spike, 1.0).unwrap(), Route::weighted(3));
        assert_eq!(nd.route(1, EventKind::Current, 1.0).unwrap_err().kind, ErrorKind::UnknownReceptorType);
    }

    #[test]
    fn alpha_conductance_peaks_at_weight_after_tau() {
        // Oracle: g(s) = w (s/τ) e^{1 − s/τ} peaks at s = τ with value w; port 2 only.
        let mut nd = nodes::<AeifCondAlphaMultisynapse>(1);
        set(&mut nd, &[("tau_syn", Value::DoubleVec(vec![1.0, 2.0])), ("E_rev", Value::DoubleVec(vec![0.0, -70.6]))])
            .unwrap();
        let (rec, _) = run(&mut nd, 0.1, 60, |t, ch| if t == 0 && ch == 2 { 5.0 } else { 0.0 });
        let g2 = nd.recordables().iter().position(|r| *r == "g_2").unwrap();
        for (k, r) in rec.iter().enumerate() {
            let s = k as f64 * 0.1;
            let exact = 5.0 * s / 2.0 * (1.0 - s / 2.0).exp();
            assert!((r[g2] - exact).abs() < 1e-5, "k {k}: {} vs {exact}", r[g2]);
        }
    }
}
