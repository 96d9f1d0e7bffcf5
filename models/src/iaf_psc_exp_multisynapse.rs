//! # iaf_psc_exp_multisynapse — leaky integrate-and-fire neuron with any number of exponential current receptors
//!
//! A leaky integrate-and-fire neuron with a hard threshold and a fixed refractory period, whose
//! input arrives on `n` receptor ports, each an exponentially decaying synaptic current with its
//! own time constant `tau_syn[k]`. Integrated exactly on the time grid as NEST 3.10's
//! `iaf_psc_exp_multisynapse`, with NEST's order of floating-point operations.
//!
//! ## Equations
//!
//! ```text
//! dV_m/dt = −(V_m − E_L)/τ_m + (Σ_k I_k + I_e + I_stim)/C_m
//! dI_k/dt = −I_k/τ_syn,k            (a spike of weight w on port k: I_k += w)
//! ```
//!
//! One step h, with y = V_m − E_L (NEST keeps voltages relative to E_L):
//!
//! ```text
//! if not refractory:  y ← y·P22 + (I_e + I_stim)·P20;  then for k = 1..n: y ← y + P21_k·I_k
//! else:               one refractory step less
//! I_k ← I_k·P11_k + (spike weights on port k in this step)
//! y ≥ V_th − E_L  →  spike, y ← V_reset − E_L, refractory for t_ref (rounded up to steps)
//! I_stim ← step current received in this step (acts during the next step)
//! ```
//!
//! with P22 = e^{−h/τ_m}, P20 = τ_m/C_m·(1 − P22), P11_k = e^{−h/τ_syn,k} and P21_k NEST's exact
//! current-to-voltage propagator ([`crate::numerics::IafPropagator::exp`], including NEST's
//! handling of τ_syn,k ≈ τ_m).
//!
//! ## Parameters
//!
//! | NEST name | unit      | default | meaning                                          |
//! |-----------|-----------|---------|--------------------------------------------------|
//! | `E_L`     | mV        | −70     | resting membrane potential                       |
//! | `I_e`     | pA        | 0       | constant input current                           |
//! | `V_th`    | mV        | −55     | spike threshold                                  |
//! | `V_reset` | mV        | −70     | reset potential                                  |
//! | `C_m`     | pF        | 250     | membrane capacitance                             |
//! | `tau_m`   | ms        | 10      | membrane time constant                           |
//! | `t_ref`   | ms        | 2       | duration of the refractory period                |
//! | `tau_syn` | ms (list) | [2]     | decay time of each port's current (one per port) |
//!
//! `n_synapses` (read-only) is the number of ports, the length of `tau_syn`; `has_connections`
//! (read-only) is always `false` in nestor (see below). There is no `V_min`.
//!
//! Checks (NEST's messages, each a `BadProperty`): `C_m > 0` ("Capacitance must be > 0."),
//! `tau_m > 0`, `t_ref >= 0`, `V_reset < V_th`; when `tau_syn` is given, every entry > 0 and
//! different from `tau_m` ("Membrane and synapse time constant(s) must differ."; as in NEST this
//! is checked only when `tau_syn` is set). The scalar checks run before the `tau_syn` checks
//! (NEST checks `tau_syn` before `t_ref` and `V_reset`; only the message of a status change with
//! several errors differs). At most 128 ports per neuron (a nestor limit). NEST refuses to
//! change the number of ports of a neuron that has connections; nestor does not track this
//! (`has_connections` stays `false`), so the change is accepted and ports beyond the new count
//! simply receive no more input.
//!
//! As in NEST, voltages are shown as absolute values but integrated relative to `E_L`; setting
//! `E_L` alone leaves the absolute `V_th`, `V_reset` and `V_m` unchanged.
//!
//! ## State and recordables
//!
//! * Status: `V_m` (mV, initial −70). The port currents are not status entries (as in NEST).
//! * Recordables (NEST's order): `I_syn` (Σ_k I_k, pA), `I_syn_1` … `I_syn_n` (pA), `V_m` (mV).
//!
//! ## Events
//!
//! * Sends: spikes.
//! * Receives: spikes on receptors 1..n (weight in pA, any sign, added to that port's current);
//!   currents on receptor 0 (pA). Spikes on receptor 0 or above n: `IncompatibleReceptorType`;
//!   currents on another receptor: `UnknownReceptorType`.
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
//! [`crate::iaf_psc_exp`], [`crate::iaf_psc_alpha_multisynapse`], [`crate::multisynapse`],
//! [`crate::numerics`].

use crate::multisynapse::{given, put, recordables, refuse_read_only, PortLists, PortRecordable, Slot};
use crate::neuron::{col, Neuron, Receptors, CH_PORT_CURRENT};
use crate::numerics::{ms_to_steps, IafPropagator};
use nestor_kernel::error::{Error, Result};
use nestor_kernel::model::{Emitter, Failure, Inputs, StepCtx};
use nestor_kernel::schema::{ParamSpec, ParamTable};
use nestor_kernel::units::Unit;
use nestor_kernel::value::{Dict, Value};

/// The scalar status entries of `iaf_psc_exp_multisynapse`: NEST names, units and defaults.
pub static SCHEMA: [ParamSpec; 10] = [
    ParamSpec::param("E_L", Unit::MilliVolt, -70.0, "Resting membrane potential"),
    ParamSpec::param("I_e", Unit::PicoAmpere, 0.0, "Constant input current"),
    ParamSpec::param("V_th", Unit::MilliVolt, -55.0, "Spike threshold"),
    ParamSpec::param("V_reset", Unit::MilliVolt, -70.0, "Reset potential of the membrane"),
    ParamSpec::param("C_m", Unit::PicoFarad, 250.0, "Capacitance of the membrane"),
    ParamSpec::param("tau_m", Unit::Millisecond, 10.0, "Membrane time constant"),
    ParamSpec::param("t_ref", Unit::Millisecond, 2.0, "Duration of refractory period"),
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
const V_M: usize = col(&SCHEMA, "V_m");

const NAME: &str = "iaf_psc_exp_multisynapse";

/// One neuron's scalar constants from `prepare`.
#[derive(Debug, Clone, Copy, Default)]
struct Consts {
    /// e^{−h/τ_m}.
    p22: f64,
    /// τ_m/C_m·(1 − P22), mV/pA.
    p20: f64,
    /// V_th − E_L, mV.
    theta: f64,
    /// V_reset − E_L, mV.
    v_reset: f64,
    /// E_L, mV.
    e_l: f64,
    /// I_e, pA.
    i_e: f64,
    /// t_ref in steps.
    ref_counts: i64,
}

/// A chunk of `iaf_psc_exp_multisynapse` neurons: internal state beside the status table.
pub struct IafPscExpMultisynapse {
    /// Per-port parameters: tau_syn (0).
    params: PortLists,
    /// Per-port state: the synaptic current I_k (0), pA.
    state: PortLists,
    /// Per-port constants: P11 (0), P21 (1).
    pre: PortLists,
    /// V_m − E_L, mV.
    v: Vec<f64>,
    /// Step current received in the previous step, pA.
    i_const: Vec<f64>,
    /// Remaining refractory steps.
    r: Vec<i64>,
    consts: Vec<Consts>,
}

impl IafPscExpMultisynapse {
    fn recordable_map(&self) -> (Vec<&'static str>, Vec<Slot>) {
        recordables(&["I_syn", "V_m"], PortRecordable::ISyn, self.params.max_ports())
    }
}

impl Neuron for IafPscExpMultisynapse {
    const NAME: &'static str = NAME;
    const SUMMARY: &'static str =
        "Leaky integrate-and-fire neuron with any number of exponential-shaped current receptors (exact integration)";
    const SCHEMA: &'static [ParamSpec] = &SCHEMA;
    const RECORDABLES: &'static [&'static str] = &["I_syn", "I_syn_1", "V_m"];
    const DYNAMIC_RECORDABLES: bool = true;
    const RECEPTORS: Receptors = Receptors::Ports;
    const WEIGHT_UNIT: Unit = Unit::PicoAmpere;

    fn new(table: &mut ParamTable) -> Self {
        let n = table.len();
        IafPscExpMultisynapse {
            params: PortLists::new(n, &[&[2.0]]),
            state: PortLists::new(n, &[&[0.0]]),
            pre: PortLists::new(n, &[&[0.0], &[0.0]]),
            v: (0..n).map(|i| table.get(V_M, i) - table.get(E_L, i)).collect(),
            i_const: vec![0.0; n],
            r: vec![0; n],
            consts: vec![Consts::default(); n],
        }
    }

    fn check(row: &[f64]) -> Result<()> {
        if row[C_M] <= 0.0 {
            return Err(Error::bad_property(format!("Capacitance must be > 0. (got C_m = {} pF)", row[C_M])));
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

    fn set_extra(&mut self, i: usize, entries: &[(&str, &Value)], row: &[f64]) -> Result<()> {
        refuse_read_only(entries, &["n_synapses", "has_connections"], NAME)?;
        let Some(Some(tau)) = given(entries, &["tau_syn"])?.into_iter().next() else {
            return Ok(());
        };
        for (k, &t) in tau.iter().enumerate() {
            if t <= 0.0 {
                return Err(Error::bad_property(format!(
                    "All synaptic time constants must be strictly positive. (got tau_syn[{k}] = {t} ms)"
                )));
            }
            if t == row[TAU_M] {
                return Err(Error::bad_property(format!(
                    "Membrane and synapse time constant(s) must differ. See note in documentation. \
                     (got tau_syn[{k}] = tau_m = {t} ms)"
                )));
            }
        }
        let n = tau.len();
        self.params.set(i, &[tau]);
        self.state.resize(i, n, &[0.0]);
        self.pre.resize(i, n, &[0.0, 0.0]);
        Ok(())
    }

    fn receptor_count(&self) -> usize {
        self.params.max_ports()
    }

    fn prepare(&mut self, t: &mut ParamTable, h: f64) -> Result<()> {
        for i in 0..t.len() {
            let (tau_m, c_m, e_l) = (t.get(TAU_M, i), t.get(C_M, i), t.get(E_L, i));
            let p22 = (-h / tau_m).exp();
            self.consts[i] = Consts {
                p22,
                p20: tau_m / c_m * (1.0 - p22),
                theta: t.get(V_TH, i) - e_l,
                v_reset: t.get(V_RESET, i) - e_l,
                e_l,
                i_e: t.get(I_E, i),
                ref_counts: ms_to_steps(t.get(T_REF, i), h),
            };
            for k in 0..self.params.ports(i) {
                let tau_syn = self.params.get(0, i)[k];
                self.pre.get_mut(0, i)[k] = (-h / tau_syn).exp();
                self.pre.get_mut(1, i)[k] = IafPropagator::new(tau_syn, tau_m, c_m).exp(h);
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
            let (p11, p21) = (self.pre.get(0, i), self.pre.get(1, i));
            let i_syn = self.state.get_mut(0, i);
            let mut v = self.v[i];
            if self.r[i] == 0 {
                v = v * c.p22 + (c.i_e + self.i_const[i]) * c.p20;
                for k in 0..i_syn.len() {
                    v += p21[k] * i_syn[k];
                }
            } else {
                self.r[i] -= 1;
            }
            for k in 0..i_syn.len() {
                i_syn[k] *= p11[k];
                i_syn[k] += inputs.channel(1 + k)[i];
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
        let i_syn = self.state.get(0, i);
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
        let mut nd = nodes::<IafPscExpMultisynapse>(1);
        assert_eq!(nd.recordables().to_vec(), vec!["I_syn", "I_syn_1", "V_m"]);
        let e = set(&mut nd, &[("tau_syn", Value::DoubleVec(vec![1.0, 0.0]))]).unwrap_err();
        assert!(e.message.contains("strictly positive"), "{}", e.message);
        let e = set(&mut nd, &[("tau_syn", Value::DoubleVec(vec![1.0, 10.0]))]).unwrap_err();
        assert!(e.message.contains("must differ"), "{}", e.message);
        let e = set(&mut nd, &[("n_synapses", Value::Int(3))]).unwrap_err();
        assert_eq!(e.kind, ErrorKind::BadProperty);
        set(&mut nd, &[("tau_syn", Value::DoubleVec(vec![1.0, 5.0, 3.0]))]).unwrap();
        assert_eq!(nd.recordables().to_vec(), vec!["I_syn", "I_syn_1", "I_syn_2", "I_syn_3", "V_m"]);
        assert_eq!(nd.channels(), 4);
        assert_eq!(nd.route(0, EventKind::Spike, 1.0).unwrap_err().kind, ErrorKind::IncompatibleReceptorType);
        assert_eq!(nd.route(4, EventKind::Spike, 1.0).unwrap_err().kind, ErrorKind::IncompatibleReceptorType);
        assert_eq!(nd.route(2, EventKind::Spike, -1.0).unwrap(), Route::weighted(2));
        assert_eq!(nd.route(1, EventKind::Current, 1.0).unwrap_err().kind, ErrorKind::UnknownReceptorType);
        assert!(IafPscExpMultisynapse::check(&[-70.0, 0.0, -55.0, -70.0, 0.0, 10.0, 2.0, -70.0, 20.0, 110.0])
            .unwrap_err()
            .message
            .contains("Capacitance must be > 0."));
    }

    #[test]
    fn psp_matches_closed_form() {
        // Oracle: the analytic PSP of an exponential current w·e^{−t/τ_s} arriving at t0 in a
        // leaky membrane: V(t) − E_L = w τ_s τ_m / (C (τ_m − τ_s)) (e^{−t/τ_m} − e^{−t/τ_s}).
        let mut nd = nodes::<IafPscExpMultisynapse>(1);
        set(&mut nd, &[("tau_syn", Value::DoubleVec(vec![1.0, 3.0]))]).unwrap();
        let (w, ts, tm, c) = (100.0, 3.0, 10.0, 250.0);
        let (rec, spikes) = run(&mut nd, 0.1, 200, |t, ch| if t == 0 && ch == 2 { w } else { 0.0 });
        assert!(spikes.is_empty());
        let names = nd.recordables().to_vec();
        let (vm, i2, isyn) = (
            names.iter().position(|r| *r == "V_m").unwrap(),
            names.iter().position(|r| *r == "I_syn_2").unwrap(),
            names.iter().position(|r| *r == "I_syn").unwrap(),
        );
        for (k, r) in rec.iter().enumerate() {
            // The spike lands at the end of step 0; record k is after step k.
            let s = k as f64 * 0.1;
            let psp = w * ts * tm / (c * (tm - ts)) * ((-s / tm).exp() - (-s / ts).exp());
            assert!((r[vm] - (-70.0 + psp)).abs() < 1e-12, "k {k}: {} vs {}", r[vm], -70.0 + psp);
            assert!((r[i2] - w * (-s / ts).exp()).abs() < 1e-10);
            assert_eq!(r[isyn], r[i2]);
        }
    }

    #[test]
    fn dc_firing_period_matches_analytic() {
        // Oracle: with constant I the membrane reaches V_th − E_L = R I (1 − e^{−T/τ_m}) at
        // T = −τ_m ln(1 − θ C/(τ_m I)); firing every ceil(T/h) + t_ref/h steps.
        let mut nd = nodes::<IafPscExpMultisynapse>(1);
        let i_e = 450.0;
        nd.table_mut().set(I_E, 0, i_e);
        let (_, spikes) = run(&mut nd, 0.1, 2000, |_, _| 0.0);
        let t = -10.0 * (1.0 - 15.0 * 250.0 / (10.0 * i_e)).ln();
        let first = (t / 0.1).ceil() as i64;
        assert_eq!(spikes[0], first);
        assert_eq!(spikes[1] - spikes[0], first + 20);
    }
}
