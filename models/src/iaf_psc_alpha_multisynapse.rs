//! # iaf_psc_alpha_multisynapse — leaky integrate-and-fire neuron with any number of alpha current receptors
//!
//! A leaky integrate-and-fire neuron with a hard threshold, a fixed refractory period and an
//! optional lower bound of the membrane potential, whose input arrives on `n` receptor ports,
//! each an α-shaped synaptic current with its own time constant `tau_syn[k]` (a spike of weight
//! w gives a current that peaks at w pA τ_syn,k after the arrival). Integrated exactly on the
//! time grid as NEST 3.10's `iaf_psc_alpha_multisynapse`, with NEST's order of floating-point
//! operations.
//!
//! ## Equations
//!
//! ```text
//! dV_m/dt = −(V_m − E_L)/τ_m + (Σ_k I_k + I_e + I_stim)/C_m,   V_m ≥ V_min
//! I_k(t)  = w (t/τ_syn,k) e^{1 − t/τ_syn,k}   per spike of weight w on port k
//! ```
//!
//! Each current is the state pair (dI_k, I_k). One step h, with y = V_m − E_L (NEST keeps
//! voltages relative to E_L):
//!
//! ```text
//! if not refractory:  y ← P30·(I_stim + I_e) + P33·y;  for k = 1..n: y ← y + P31_k·dI_k + P32_k·I_k
//!                     y ← max(y, V_min − E_L)
//! else:               one refractory step less
//! I_k  ← P21_k·dI_k + P22_k·I_k;   dI_k ← dI_k·P11_k + e/τ_syn,k · (spike weights on port k)
//! y ≥ V_th − E_L  →  spike, y ← V_reset − E_L, refractory for t_ref (rounded up to steps)
//! I_stim ← step current received in this step (acts during the next step)
//! ```
//!
//! with P33 = e^{−h/τ_m}, P30 = 1/C_m·(1 − P33)·τ_m, P11_k = P22_k = e^{−h/τ_syn,k},
//! P21_k = h·P11_k and (P31_k, P32_k) NEST's exact propagators
//! ([`crate::numerics::IafPropagator::alpha`], including NEST's handling of τ_syn,k ≈ τ_m).
//!
//! ## Parameters
//!
//! | NEST name | unit      | default | meaning                                        |
//! |-----------|-----------|---------|------------------------------------------------|
//! | `E_L`     | mV        | −70     | resting membrane potential                     |
//! | `I_e`     | pA        | 0       | constant input current                         |
//! | `V_th`    | mV        | −55     | spike threshold                                |
//! | `V_reset` | mV        | −70     | reset potential                                |
//! | `C_m`     | pF        | 250     | membrane capacitance                           |
//! | `tau_m`   | ms        | 10      | membrane time constant                         |
//! | `t_ref`   | ms        | 2       | duration of the refractory period              |
//! | `V_min`   | mV        | −∞      | lower bound of the membrane potential          |
//! | `tau_syn` | ms (list) | [2]     | rise time of each port's current (one per port)|
//!
//! `n_synapses` (read-only) is the number of ports, the length of `tau_syn`; `has_connections`
//! (read-only) is always `false` in nestor (see below).
//!
//! Checks (NEST's messages, each a `BadProperty`): `C_m > 0`, `tau_m > 0`, `t_ref >= 0`,
//! `V_reset < V_th`; when `tau_syn` is given, every entry > 0. `V_min` is not checked. The
//! scalar checks run before the `tau_syn` check (NEST checks `tau_syn` before `t_ref` and
//! `V_reset`; only the message of a status change with several errors differs). At most 128
//! ports per neuron (a nestor limit). NEST refuses to change the number of ports of a neuron that
//! has connections; nestor does not track this (`has_connections` stays `false`), so the change
//! is accepted and ports beyond the new count simply receive no more input.
//!
//! As in NEST, voltages are shown as absolute values but integrated relative to `E_L`; setting
//! `E_L` alone leaves the absolute `V_th`, `V_reset`, `V_min` and `V_m` unchanged.
//!
//! ## State and recordables
//!
//! * Status: `V_m` (mV, initial −70). The port currents are not status entries (as in NEST).
//! * Recordables (NEST's order): `I_syn` (Σ_k I_k, pA), `I_syn_1` … `I_syn_n` (pA), `V_m` (mV).
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
//! 1. Rotter S, Diesmann M (1999). Exact simulation of time-invariant linear systems with
//!    applications to neuronal modeling. Biol Cybern 81:381–402. doi:10.1007/s004220050570
//! 2. Diesmann M, Gewaltig M-O, Rotter S, Aertsen A (2001). State space analysis of synchronous
//!    spiking in cortical neural networks. Neurocomputing 38–40:565–571.
//!    doi:10.1016/S0925-2312(01)00409-X
//!
//! ## See also
//!
//! [`crate::iaf_psc_alpha`], [`crate::iaf_psc_exp_multisynapse`], [`crate::multisynapse`],
//! [`crate::numerics`].

use crate::multisynapse::{given, put, recordables, refuse_read_only, PortLists, PortRecordable, Slot};
use crate::neuron::{col, Neuron, Receptors, CH_PORT_CURRENT};
use crate::numerics::{ms_to_steps, IafPropagator};
use nestor_kernel::error::{Error, Result};
use nestor_kernel::model::{Emitter, Failure, Inputs, StepCtx};
use nestor_kernel::schema::{ParamSpec, ParamTable};
use nestor_kernel::units::Unit;
use nestor_kernel::value::{Dict, Value};

/// The scalar status entries of `iaf_psc_alpha_multisynapse`: NEST names, units and defaults.
pub static SCHEMA: [ParamSpec; 11] = [
    ParamSpec::param("E_L", Unit::MilliVolt, -70.0, "Resting membrane potential"),
    ParamSpec::param("I_e", Unit::PicoAmpere, 0.0, "Constant input current"),
    ParamSpec::param("V_th", Unit::MilliVolt, -55.0, "Spike threshold"),
    ParamSpec::param("V_reset", Unit::MilliVolt, -70.0, "Reset potential of the membrane"),
    ParamSpec::param("C_m", Unit::PicoFarad, 250.0, "Capacitance of the membrane"),
    ParamSpec::param("tau_m", Unit::Millisecond, 10.0, "Membrane time constant"),
    ParamSpec::param("t_ref", Unit::Millisecond, 2.0, "Duration of refractory period"),
    ParamSpec::param("V_min", Unit::MilliVolt, f64::NEG_INFINITY, "Absolute lower value for the membrane potential"),
    ParamSpec::state("V_m", Unit::MilliVolt, -70.0, "Membrane potential"),
    ParamSpec::param("tau_minus", Unit::Millisecond, 20.0, "Time constant of the K- trace read by STDP synapses"),
    ParamSpec::param("tau_minus_triplet", Unit::Millisecond, 110.0, "Time constant of the triplet K- trace"),
];

const E_L: usize = col(&SCHEMA, "E_L");
const I_E: usize = col(&SCHEMA, "I_e");
const V_TH: usize = col(&SCHEMA, "V_th");
const V_RESET: usize = col(&SCHEMA, "V_reset");
const C_M: usize = col(&SCHEMA, "C_m");
const TAU_M: usize = col(&SCHEMA, "tau_m");
const T_REF: usize = col(&SCHEMA, "t_ref");
const V_MIN: usize = col(&SCHEMA, "V_min");
const V_M: usize = col(&SCHEMA, "V_m");

const NAME: &str = "iaf_psc_alpha_multisynapse";

/// One neuron's scalar constants from `prepare`.
#[derive(Debug, Clone, Copy, Default)]
struct Consts {
    /// e^{−h/τ_m}.
    p33: f64,
    /// 1/C_m·(1 − P33)·τ_m, mV/pA.
    p30: f64,
    /// V_th − E_L, mV.
    theta: f64,
    /// V_reset − E_L, mV.
    v_reset: f64,
    /// V_min − E_L, mV.
    lower: f64,
    /// E_L, mV.
    e_l: f64,
    /// I_e, pA.
    i_e: f64,
    /// t_ref in steps.
    ref_counts: i64,
}

// Per-port constants (lists of `pre`).
const P11: usize = 0;
const P21: usize = 1;
const P31: usize = 2;
const P32: usize = 3;
const PSC0: usize = 4;

/// A chunk of `iaf_psc_alpha_multisynapse` neurons: internal state beside the status table.
pub struct IafPscAlphaMultisynapse {
    /// Per-port parameters: tau_syn (0).
    params: PortLists,
    /// Per-port state: dI_k (0, y1), I_k (1, y2).
    state: PortLists,
    /// Per-port constants: P11 (= P22), P21, P31, P32, e/τ_syn.
    pre: PortLists,
    /// V_m − E_L, mV.
    v: Vec<f64>,
    /// Step current received in the previous step, pA.
    i_const: Vec<f64>,
    /// Remaining refractory steps.
    r: Vec<i64>,
    consts: Vec<Consts>,
}

impl IafPscAlphaMultisynapse {
    fn recordable_map(&self) -> (Vec<&'static str>, Vec<Slot>) {
        recordables(&["I_syn", "V_m"], PortRecordable::ISyn, self.params.max_ports())
    }
}

impl Neuron for IafPscAlphaMultisynapse {
    const NAME: &'static str = NAME;
    const SUMMARY: &'static str =
        "Leaky integrate-and-fire neuron with any number of alpha-shaped current receptors (exact integration)";
    const SCHEMA: &'static [ParamSpec] = &SCHEMA;
    const RECORDABLES: &'static [&'static str] = &["I_syn", "I_syn_1", "V_m"];
    const DYNAMIC_RECORDABLES: bool = true;
    const RECEPTORS: Receptors = Receptors::Ports;
    const WEIGHT_UNIT: Unit = Unit::PicoAmpere;

    fn new(table: &mut ParamTable) -> Self {
        let n = table.len();
        IafPscAlphaMultisynapse {
            params: PortLists::new(n, &[&[2.0]]),
            state: PortLists::new(n, &[&[0.0], &[0.0]]),
            pre: PortLists::new(n, &[&[0.0], &[0.0], &[0.0], &[0.0], &[0.0]]),
            v: (0..n).map(|i| table.get(V_M, i) - table.get(E_L, i)).collect(),
            i_const: vec![0.0; n],
            r: vec![0; n],
            consts: vec![Consts::default(); n],
        }
    }

    fn check(row: &[f64]) -> Result<()> {
        if row[C_M] <= 0.0 {
            return Err(Error::bad_property(format!(
                "Capacitance must be strictly positive. (got C_m = {} pF)",
                row[C_M]
            )));
        }
        if row[TAU_M] <= 0.0 {
            return Err(Error::bad_property(format!(
                "Membrane time constant must be strictly positive. (got tau_m = {} ms)",
                row[TAU_M]
            )));
        }
        if row[T_REF] < 0.0 {
            return Err(Error::bad_property(format!(
                "Refractory time must not be negative. (got t_ref = {} ms)",
                row[T_REF]
            )));
        }
        if row[V_RESET] - row[E_L] >= row[V_TH] - row[E_L] {
            return Err(Error::bad_property(format!(
                "Reset potential must be smaller than threshold. (got V_reset = {} mV, V_th = {} mV)",
                row[V_RESET], row[V_TH]
            )));
        }
        Ok(())
    }

    fn extra_keys() -> &'static [&'static str] {
        &["tau_syn", "n_synapses", "has_connections"]
    }

    fn get_extra(&self, i: usize, d: &mut Dict) {
        put(d, "tau_syn", &self.params, 0, i);
        d.insert("n_synapses".into(), Value::Int(self.params.ports(i) as i64));
        d.insert("has_connections".into(), Value::Bool(false));
    }

    fn set_extra(&mut self, i: usize, entries: &[(&str, &Value)], _row: &[f64]) -> Result<()> {
        refuse_read_only(entries, &["n_synapses", "has_connections"], NAME)?;
        let Some(Some(tau)) = given(entries, &["tau_syn"])?.into_iter().next() else {
            return Ok(());
        };
        if let Some((k, t)) = tau.iter().enumerate().find(|(_, &t)| t <= 0.0) {
            return Err(Error::bad_property(format!(
                "All synaptic time constants must be strictly positive. (got tau_syn[{k}] = {t} ms)"
            )));
        }
        let n = tau.len();
        self.params.set(i, &[tau]);
        self.state.resize(i, n, &[0.0, 0.0]);
        self.pre.resize(i, n, &[0.0; 5]);
        Ok(())
    }

    fn receptor_count(&self) -> usize {
        self.params.max_ports()
    }

    fn prepare(&mut self, t: &mut ParamTable, h: f64) -> Result<()> {
        for i in 0..t.len() {
            let (tau_m, c_m, e_l) = (t.get(TAU_M, i), t.get(C_M, i), t.get(E_L, i));
            let p33 = (-h / tau_m).exp();
            self.consts[i] = Consts {
                p33,
                p30: 1.0 / c_m * (1.0 - p33) * tau_m,
                theta: t.get(V_TH, i) - e_l,
                v_reset: t.get(V_RESET, i) - e_l,
                lower: t.get(V_MIN, i) - e_l,
                e_l,
                i_e: t.get(I_E, i),
                ref_counts: ms_to_steps(t.get(T_REF, i), h),
            };
            for k in 0..self.params.ports(i) {
                let tau_syn = self.params.get(0, i)[k];
                let p11 = (-h / tau_syn).exp();
                let (p31, p32) = IafPropagator::new(tau_syn, tau_m, c_m).alpha(h);
                for (l, x) in
                    [(P11, p11), (P21, h * p11), (P31, p31), (P32, p32), (PSC0, 1.0 * std::f64::consts::E / tau_syn)]
                {
                    self.pre.get_mut(l, i)[k] = x;
                }
            }
            // V_m or E_L changed by SetStatus since the last run: the absolute V_m is the truth.
            let v_m = t.get(V_M, i);
            if self.v[i] + e_l != v_m {
                self.v[i] = v_m - e_l;
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
        for i in 0..self.v.len() {
            let c = self.consts[i];
            let pre = &self.pre;
            let (p11, p21, p31, p32, psc0) =
                (pre.get(P11, i), pre.get(P21, i), pre.get(P31, i), pre.get(P32, i), pre.get(PSC0, i));
            let n = p11.len();
            let mut v = self.v[i];
            if self.r[i] == 0 {
                v = c.p30 * (self.i_const[i] + c.i_e) + c.p33 * v;
                let (y1, y2) = (self.state.get(0, i), self.state.get(1, i));
                for k in 0..n {
                    v += p31[k] * y1[k] + p32[k] * y2[k];
                }
                v = if v < c.lower { c.lower } else { v };
            } else {
                self.r[i] -= 1;
            }
            for k in 0..n {
                let y1 = self.state.get(0, i)[k];
                let y2 = &mut self.state.get_mut(1, i)[k];
                *y2 = p21[k] * y1 + p11[k] * *y2;
                let y1 = &mut self.state.get_mut(0, i)[k];
                *y1 *= p11[k];
                *y1 += psc0[k] * inputs.channel(1 + k)[i];
            }
            if v >= c.theta {
                self.r[i] = c.ref_counts;
                v = c.v_reset;
                out.spike(i);
            }
            self.i_const[i] = in_i[i];
            self.v[i] = v;
            v_m[i] = v + c.e_l;
        }
        Ok(())
    }

    fn dynamic_recordables(&self) -> Vec<&'static str> {
        self.recordable_map().0
    }

    fn read(&self, table: &ParamTable, var: usize, i: usize) -> f64 {
        let i_syn = self.state.get(1, i);
        match self.recordable_map().1.get(var) {
            Some(Slot::Fixed(0)) => i_syn.iter().fold(0.0, |s, x| s + x),
            Some(Slot::Fixed(_)) => table.get(V_M, i),
            Some(Slot::Port(k)) => i_syn.get(*k).copied().unwrap_or(0.0),
            None => 0.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::neuron::testing::{nodes, run};
    use nestor_kernel::error::ErrorKind;
    use nestor_kernel::model::{EventKind, Node, Route};

    fn set(nd: &mut Box<dyn Node>, d: &[(&str, Value)]) -> Result<()> {
        let entries: Vec<(&str, &Value)> = d.iter().map(|(k, v)| (*k, v)).collect();
        let row = nd.table().row(0);
        nd.set_extra(0, &entries, &row, NAME)
    }

    #[test]
    fn ports_follow_nest_rules() {
        let mut nd = nodes::<IafPscAlphaMultisynapse>(1);
        assert_eq!(nd.recordables().to_vec(), vec!["I_syn", "I_syn_1", "V_m"]);
        let e = set(&mut nd, &[("tau_syn", Value::DoubleVec(vec![1.0, -2.0]))]).unwrap_err();
        assert!(e.message.contains("strictly positive"), "{}", e.message);
        // τ_syn = τ_m is allowed here (the propagator's singular case).
        set(&mut nd, &[("tau_syn", Value::DoubleVec(vec![10.0]))]).unwrap();
        let e = set(&mut nd, &[("has_connections", Value::Bool(true))]).unwrap_err();
        assert_eq!(e.kind, ErrorKind::BadProperty);
        set(&mut nd, &[("tau_syn", Value::DoubleVec(vec![1.0, 5.0, 3.0]))]).unwrap();
        assert_eq!(nd.recordables().to_vec(), vec!["I_syn", "I_syn_1", "I_syn_2", "I_syn_3", "V_m"]);
        assert_eq!(nd.channels(), 4);
        assert_eq!(nd.route(0, EventKind::Spike, 1.0).unwrap_err().kind, ErrorKind::IncompatibleReceptorType);
        assert_eq!(nd.route(4, EventKind::Spike, 1.0).unwrap_err().kind, ErrorKind::IncompatibleReceptorType);
        assert_eq!(nd.route(3, EventKind::Spike, -1.0).unwrap(), Route::weighted(3));
        assert_eq!(nd.route(0, EventKind::Current, 1.0).unwrap(), Route::weighted(0));
        let row = [-70.0, 0.0, -55.0, -55.0, 250.0, 10.0, 2.0, f64::NEG_INFINITY, -70.0, 20.0, 110.0];
        let e = IafPscAlphaMultisynapse::check(&row).unwrap_err();
        assert!(e.message.contains("Reset potential must be smaller than threshold."), "{}", e.message);
    }

    #[test]
    fn alpha_current_and_psp_match_closed_form() {
        // Oracle: I(s) = w (s/τ_s) e^{1 − s/τ_s} and its analytic PSP in a leaky membrane,
        // V(s) − E_L = (w e / (τ_s C)) ∫_0^s u e^{−u/τ_s} e^{−(s−u)/τ_m} du, which with
        // a = 1/τ_s − 1/τ_m is (w e /(τ_s C)) e^{−s/τ_m} (1 − e^{−a s}(1 + a s)) / a².
        let mut nd = nodes::<IafPscAlphaMultisynapse>(1);
        set(&mut nd, &[("tau_syn", Value::DoubleVec(vec![1.0, 3.0]))]).unwrap();
        let (w, ts, tm, c) = (100.0, 3.0_f64, 10.0_f64, 250.0);
        let (rec, spikes) = run(&mut nd, 0.1, 300, |t, ch| if t == 0 && ch == 2 { w } else { 0.0 });
        assert!(spikes.is_empty());
        let names = nd.recordables().to_vec();
        let pos = |n: &str| names.iter().position(|r| *r == n).unwrap();
        let (vm, i1, i2, isyn) = (pos("V_m"), pos("I_syn_1"), pos("I_syn_2"), pos("I_syn"));
        let a = 1.0 / ts - 1.0 / tm;
        for (k, r) in rec.iter().enumerate() {
            let s = k as f64 * 0.1;
            let cur = w * s / ts * (1.0 - s / ts).exp();
            let psp =
                w * std::f64::consts::E / (ts * c) * (-s / tm).exp() * (1.0 - (-a * s).exp() * (1.0 + a * s)) / (a * a);
            assert!((r[i2] - cur).abs() < 1e-10, "k {k}: {} vs {cur}", r[i2]);
            assert_eq!(r[i1], 0.0);
            assert_eq!(r[isyn], r[i2]);
            assert!((r[vm] - (-70.0 + psp)).abs() < 1e-12, "k {k}: {} vs {}", r[vm], -70.0 + psp);
        }
    }

    #[test]
    fn v_min_bounds_the_potential() {
        // Oracle: V_m never falls below V_min; without it, a strong inhibitory current pushes
        // it far below.
        let mut nd = nodes::<IafPscAlphaMultisynapse>(1);
        nd.table_mut().set(V_MIN, 0, -72.0);
        let (rec, _) = run(&mut nd, 0.1, 100, |t, ch| if t == 0 && ch == 1 { -5000.0 } else { 0.0 });
        let vm = nd.recordables().iter().position(|r| *r == "V_m").unwrap();
        let lowest = rec.iter().map(|r| r[vm]).fold(f64::INFINITY, f64::min);
        assert_eq!(lowest, -72.0);
    }
}
