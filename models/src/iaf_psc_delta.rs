//! # iaf_psc_delta — leaky integrate-and-fire neuron with delta-shaped input currents
//!
//! A leaky integrate-and-fire neuron with a hard threshold, a fixed refractory period and
//! δ-shaped synaptic input: each incoming spike makes the membrane potential jump by its weight
//! (in mV). Integrated exactly on the time grid as in NEST (model `iaf_psc_delta`, NEST 3.10).
//!
//! ## Equations
//!
//! ```text
//! dV_m/dt = −(V_m − E_L)/τ_m + Σ_j w_j Σ_k δ(t − t_j^k − d_j) + (I_e + I_stim)/C_m
//! ```
//!
//! One step h, with y = V_m − E_L, P33 = e^{−h/τ_m}, P30 = (1/C_m)(1 − P33)·τ_m:
//!
//! ```text
//! y ← P30·(I_stim + I_e) + P33·y + (sum of spike weights arriving in the step)
//! y ← max(y, V_min − E_L)
//! ```
//!
//! A spike is emitted at step t_{k+1} when V_m(t_{k+1}) ≥ V_th; V_m is then set to V_reset and
//! clamped for t_ref (rounded up to whole steps as NEST does). Spikes arriving during the
//! refractory period are discarded, unless `refractory_input` is true: then each is added at the
//! end of the refractory period, damped by e^{−r·h/τ_m} where r is the number of refractory steps
//! left when it arrived. A step current (`I_stim`) received in a step acts during the following
//! step.
//!
//! ## Parameters
//!
//! | NEST name          | unit | default  | meaning                                              |
//! |--------------------|------|----------|------------------------------------------------------|
//! | `E_L`              | mV   | −70      | resting membrane potential                           |
//! | `C_m`              | pF   | 250      | membrane capacitance                                 |
//! | `tau_m`            | ms   | 10       | membrane time constant                               |
//! | `t_ref`            | ms   | 2        | duration of the refractory period                    |
//! | `V_th`             | mV   | −55      | spike threshold                                      |
//! | `V_reset`          | mV   | −70      | reset potential                                      |
//! | `I_e`              | pA   | 0        | constant input current                               |
//! | `V_min`            | mV   | −DBL_MAX | lower bound of the membrane potential                |
//! | `refractory_input` | bool | false    | integrate spikes arriving while refractory afterwards|
//!
//! `V_min` defaults to −1.7976931348623157e308 (−DBL_MAX), exactly as NEST shows it. Checks
//! (NEST's, in NEST's order, each a `BadProperty`): `V_reset < V_th`, `C_m > 0`, `t_ref >= 0`,
//! `tau_m > 0`. `V_min` is not checked.
//!
//! As in NEST, voltages are shown as absolute values but kept relative to `E_L`; setting `E_L`
//! alone leaves the absolute `V_th`, `V_reset`, `V_min` and `V_m` unchanged.
//!
//! ## State and recordables
//!
//! * Status: `V_m` (mV, initial −70).
//! * Recordables (NEST's list): `V_m` (mV). The refractory counter and the buffer of spikes
//!   received while refractory are internal, as in NEST.
//!
//! ## Events
//!
//! * Sends: spikes.
//! * Receives: spikes (weight in mV, either sign) and currents, on receptor 0 only; other
//!   receptors: `UnknownReceptorType`.
//!
//! Input channels: 0 = spikes (summed weights, mV), 1 = step current (pA).
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
//! [`crate::iaf_psc_alpha`], [`crate::iaf_psc_exp`], [`crate::numerics`].

use crate::numerics::{ms_to_steps, nest_resolution};
use nestor_kernel::error::{Error, ErrorKind, Result};
use nestor_kernel::model::{Emitter, Env, EventKind, Inputs, Instance, Model, Node, NodeKind, Route, StepCtx};
use nestor_kernel::schema::{ParamSpec, ParamTable};
use nestor_kernel::units::{Quantity, Unit};

const NAME: &str = "iaf_psc_delta";

// Column of each status key in the table (one table per model: Rust index ↔ NEST key).
const E_L: usize = 0;
const C_M: usize = 1;
const TAU_M: usize = 2;
const T_REF: usize = 3;
const V_TH: usize = 4;
const V_RESET: usize = 5;
const I_E: usize = 6;
const V_MIN: usize = 7;
const REFRACTORY_INPUT: usize = 8;
const V_M: usize = 9;

/// The status schema of `iaf_psc_delta`: NEST names, units and defaults.
pub static SCHEMA: [ParamSpec; 12] = [
    ParamSpec::param("E_L", Unit::MilliVolt, -70.0, "Resting membrane potential"),
    ParamSpec::param("C_m", Unit::PicoFarad, 250.0, "Capacitance of the membrane"),
    ParamSpec::param("tau_m", Unit::Millisecond, 10.0, "Membrane time constant"),
    ParamSpec::param("t_ref", Unit::Millisecond, 2.0, "Duration of refractory period"),
    ParamSpec::param("V_th", Unit::MilliVolt, -55.0, "Spike threshold"),
    ParamSpec::param("V_reset", Unit::MilliVolt, -70.0, "Reset potential of the membrane"),
    ParamSpec::param("I_e", Unit::PicoAmpere, 0.0, "Constant input current"),
    ParamSpec::param("V_min", Unit::MilliVolt, -f64::MAX, "Absolute lower value for the membrane potential"),
    ParamSpec::param(
        "refractory_input",
        Unit::Bool,
        0.0,
        "If true, spikes arriving during the refractory period are integrated afterwards",
    ),
    ParamSpec::state("V_m", Unit::MilliVolt, -70.0, "Membrane potential"),
    ParamSpec::param("tau_minus", Unit::Millisecond, 20.0, "Time constant of the K- trace read by STDP synapses"),
    ParamSpec::param("tau_minus_triplet", Unit::Millisecond, 110.0, "Time constant of the triplet K- trace"),
];

/// Input channel of spikes (summed weights in mV).
pub const CH_SPIKES: u16 = 0;
/// Input channel of step currents (pA).
pub const CH_I0: u16 = 1;

const RECORDABLES: &[&str] = &["V_m"];

/// The `iaf_psc_delta` model (factory).
#[derive(Debug, Clone, Copy, Default)]
pub struct IafPscDelta;

impl Model for IafPscDelta {
    fn name(&self) -> &'static str {
        NAME
    }
    fn kind(&self) -> NodeKind {
        NodeKind::Neuron
    }
    fn doc(&self) -> &'static str {
        "Leaky integrate-and-fire model with delta-shaped input currents"
    }
    fn instantiate(&self, n: usize) -> Instance {
        Instance::Node(Box::new(IafPscDeltaNodes::new(n)))
    }
}

/// Dynamic state besides `V_m`, one entry per node.
#[derive(Debug, Clone, Default)]
struct State {
    /// V_m − E_L in mV (NEST's y3); the table's `V_m` column mirrors y3 + E_L.
    y3: Vec<f64>,
    /// Step current received in the previous step, pA (NEST's y0).
    y0: Vec<f64>,
    /// Remaining refractory steps.
    r: Vec<i64>,
    /// Spikes received while refractory, damped to the end of the period, mV.
    refr_spikes: Vec<f64>,
}

/// One node's propagators and parameters in the form `update` uses, set by `prepare`.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Consts {
    /// Current → V_m propagator, mV/pA.
    p30: f64,
    /// e^{−h/τ_m}.
    p33: f64,
    /// τ_m in ms (for the damping of refractory input).
    tau_m: f64,
    /// V_th − E_L in mV.
    theta: f64,
    /// V_reset − E_L in mV.
    v_reset: f64,
    /// V_min − E_L in mV.
    lower: f64,
    /// I_e in pA.
    i_e: f64,
    /// E_L in mV.
    e_l: f64,
    /// t_ref in steps.
    ref_counts: i64,
    /// `refractory_input`.
    with_refr_input: bool,
}

/// Precomputed values: one [`Consts`] per node (read together every step, so kept as one
/// record per node), or a single one when all nodes of the chunk share their parameters, which
/// keeps the memory traffic of `update` to the state vectors.
#[derive(Debug, Clone, Default)]
struct Precomputed {
    /// Per-node constants; a single entry when `uniform`.
    consts: Vec<Consts>,
    /// Whether every node uses `consts[0]`.
    uniform: bool,
    /// The resolution in ms as NEST represents it.
    h: f64,
}

/// A chunk of `iaf_psc_delta` neurons, stored as structure of arrays.
#[derive(Debug, Clone)]
pub struct IafPscDeltaNodes {
    table: ParamTable,
    state: State,
    pre: Precomputed,
}

impl IafPscDeltaNodes {
    /// `n` neurons at NEST's defaults.
    pub fn new(n: usize) -> Self {
        let table = ParamTable::new(&SCHEMA, n);
        let y3 = (0..n).map(|i| table.get(V_M, i) - table.get(E_L, i)).collect();
        let state = State { y3, y0: vec![0.0; n], r: vec![0; n], refr_spikes: vec![0.0; n] };
        IafPscDeltaNodes { table, state, pre: Precomputed::default() }
    }

    /// One step of all nodes; `UNIFORM`: all nodes share `consts[0]`.
    #[inline(always)]
    fn step<const UNIFORM: bool>(&mut self, inputs: &Inputs<'_>, out: &mut Emitter<'_>) {
        let n = self.len();
        let s = &mut self.state;
        let (consts, h) = (&self.pre.consts[..], self.pre.h);
        let v_m = &mut self.table.col_mut(V_M)[..n];
        let spikes = &inputs.channel(CH_SPIKES as usize)[..n];
        let current = &inputs.channel(CH_I0 as usize)[..n];
        let (y3, y0) = (&mut s.y3[..n], &mut s.y0[..n]);
        let (r, refr) = (&mut s.r[..n], &mut s.refr_spikes[..n]);
        for i in 0..n {
            let c = &consts[if UNIFORM { 0 } else { i }];
            if r[i] == 0 {
                let mut v = c.p30 * (y0[i] + c.i_e) + c.p33 * y3[i] + spikes[i];
                if c.with_refr_input && refr[i] != 0.0 {
                    v += refr[i];
                    refr[i] = 0.0;
                }
                y3[i] = if v < c.lower { c.lower } else { v };
            } else {
                if c.with_refr_input {
                    refr[i] += spikes[i] * (-(r[i] as f64) * h / c.tau_m).exp();
                }
                r[i] -= 1;
            }

            if y3[i] >= c.theta {
                r[i] = c.ref_counts;
                y3[i] = c.v_reset;
                out.spike(i);
            }

            y0[i] = current[i];
            v_m[i] = y3[i] + c.e_l;
        }
    }
}

impl Node for IafPscDeltaNodes {
    fn len(&self) -> usize {
        self.state.y3.len()
    }

    fn table(&self) -> &ParamTable {
        &self.table
    }

    fn table_mut(&mut self) -> &mut ParamTable {
        &mut self.table
    }

    fn validate(&self, row: &[f64]) -> Result<()> {
        if row[V_RESET] >= row[V_TH] {
            return Err(Error::bad_property(format!(
                "Reset potential must be smaller than threshold (got V_reset = {} mV, V_th = {} mV).",
                row[V_RESET], row[V_TH]
            )));
        }
        if row[C_M] <= 0.0 {
            return Err(Error::bad_property(format!("Capacitance must be > 0 (got C_m = {} pF).", row[C_M])));
        }
        if row[T_REF] < 0.0 {
            return Err(Error::bad_property(format!(
                "Refractory time must not be negative (got t_ref = {} ms).",
                row[T_REF]
            )));
        }
        if row[TAU_M] <= 0.0 {
            return Err(Error::bad_property(format!(
                "Membrane time constant must be > 0 (got tau_m = {} ms).",
                row[TAU_M]
            )));
        }
        Ok(())
    }

    fn prepare(&mut self, env: &Env) -> Result<()> {
        let h = nest_resolution(env.resolution);
        let n = self.len();
        let t = &self.table;
        let p = &mut self.pre;
        p.h = h;
        p.consts.clear();
        for i in 0..n {
            let (tau_m, c_m, e_l) = (t.get(TAU_M, i), t.get(C_M, i), t.get(E_L, i));
            let p33 = (-h / tau_m).exp();
            p.consts.push(Consts {
                p30: 1.0 / c_m * (1.0 - p33) * tau_m,
                p33,
                tau_m,
                theta: t.get(V_TH, i) - e_l,
                v_reset: t.get(V_RESET, i) - e_l,
                lower: t.get(V_MIN, i) - e_l,
                i_e: t.get(I_E, i),
                e_l,
                ref_counts: ms_to_steps(t.get(T_REF, i), h),
                with_refr_input: t.get(REFRACTORY_INPUT, i) != 0.0,
            });
            // V_m or E_L changed by SetStatus since the last run: the absolute V_m is the truth.
            let v_m = t.get(V_M, i);
            if self.state.y3[i] + e_l != v_m {
                self.state.y3[i] = v_m - e_l;
            }
        }
        p.uniform = p.consts.windows(2).all(|w| w[0] == w[1]);
        if p.uniform {
            p.consts.truncate(1);
        }
        Ok(())
    }

    fn channels(&self) -> usize {
        2
    }

    fn route(&self, receptor: i64, kind: EventKind, _weight: f64) -> Result<Route> {
        if receptor != 0 {
            return Err(Error::new(
                ErrorKind::UnknownReceptorType,
                format!("Receptor type {receptor} is not available in {NAME}."),
            ));
        }
        Ok(Route::weighted(if kind.is_spike() { CH_SPIKES } else { CH_I0 }))
    }

    /// Weights given with a unit are read in NEST's unit for this model's synaptic input.
    fn weight_unit(&self, _receptor: i64) -> Option<Quantity> {
        Some(Quantity::new(1.0, Unit::MilliVolt))
    }

    fn output(&self) -> Option<EventKind> {
        Some(EventKind::Spike)
    }

    fn update(&mut self, _ctx: &StepCtx, inputs: &Inputs<'_>, out: &mut Emitter<'_>) {
        if self.pre.uniform {
            self.step::<true>(inputs, out);
        } else {
            self.step::<false>(inputs, out);
        }
    }

    fn recordables(&self) -> std::borrow::Cow<'static, [&'static str]> {
        std::borrow::Cow::Borrowed(RECORDABLES)
    }

    fn read(&self, _var: usize, i: usize) -> f64 {
        self.table.get(V_M, i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nestor_kernel::model::LocalEvent;

    fn nodes(n: usize) -> Box<dyn Node> {
        match IafPscDelta.instantiate(n) {
            Instance::Node(b) => b,
            Instance::Recorder(_) => panic!("iaf_psc_delta must instantiate nodes"),
        }
    }

    fn env(h: f64) -> Env {
        Env { resolution: h, now: 0, min_delay: 1, max_delay: 1 }
    }

    /// Drives `steps` updates of node 0 with `input(t, ch)`; returns V_m after each step and the
    /// spike steps (t+1).
    fn run(nd: &mut Box<dyn Node>, h: f64, steps: i64, input: impl Fn(i64, usize) -> f64) -> (Vec<f64>, Vec<i64>) {
        nd.prepare(&env(h)).unwrap();
        let n = nd.len();
        let mut data = vec![0.0; 2 * n];
        let mut ev: Vec<LocalEvent> = Vec::new();
        let (mut vm, mut spikes) = (Vec::new(), Vec::new());
        for t in 0..steps {
            for ch in 0..2 {
                data[ch * n] = input(t, ch);
            }
            ev.clear();
            nd.update(&StepCtx { t, h }, &Inputs::new(&data, n, 1, 0), &mut Emitter::new(&mut ev));
            spikes.extend(ev.iter().filter(|e| e.local == 0).map(|_| t + 1));
            vm.push(nd.read(0, 0));
        }
        (vm, spikes)
    }

    #[test]
    fn defaults_are_nest_s() {
        // Oracle: nest.GetDefaults('iaf_psc_delta') in NEST 3.10.
        let nd = nodes(1);
        assert_eq!(nd.table().get(V_MIN, 0), -1.7976931348623157e308);
        assert_eq!(nd.table().get(REFRACTORY_INPUT, 0), 0.0);
        assert_eq!(nd.table().specs()[REFRACTORY_INPUT].unit, Unit::Bool);
        assert_eq!(&nd.recordables()[..], &["V_m"]);
    }

    #[test]
    fn dc_response_matches_closed_form() {
        // Oracle: V(t) = E_L + R I (1 − e^{−t/τ_m}).
        let mut nd = nodes(1);
        nd.table_mut().set(I_E, 0, 250.0);
        let (vm, spikes) = run(&mut nd, 0.1, 1000, |_, _| 0.0);
        assert!(spikes.is_empty());
        for (k, v) in vm.iter().enumerate() {
            let t = (k + 1) as f64 * 0.1;
            assert!((v - (-70.0 + 10.0 * (1.0 - (-t / 10.0).exp()))).abs() < 1e-12, "t = {t}");
        }
    }

    #[test]
    fn spike_jumps_by_its_weight_and_decays() {
        // Oracle: V − E_L = w e^{−s/τ_m}, s = time since the jump (end of the arrival step).
        let mut nd = nodes(1);
        let (vm, _) = run(&mut nd, 0.1, 200, |t, ch| if t == 4 && ch == 0 { 2.5 } else { 0.0 });
        assert_eq!(vm[3], -70.0);
        for (k, v) in vm.iter().enumerate().skip(4) {
            let s = (k - 4) as f64 * 0.1;
            assert!((v + 70.0 - 2.5 * (-s / 10.0).exp()).abs() < 1e-13, "k = {k}");
        }
    }

    #[test]
    fn threshold_reset_and_refractoriness() {
        // A 16 mV kick crosses V_th at once; V_m is clamped for ceil(t_ref/h) steps.
        let mut nd = nodes(1);
        let (vm, spikes) = run(&mut nd, 0.1, 100, |t, ch| if (t == 0 || t == 10) && ch == 0 { 16.0 } else { 0.0 });
        assert_eq!(spikes, vec![1]); // the second kick arrives while refractory and is lost
        assert!(vm[..21].iter().all(|v| *v == -70.0));
        assert!(vm[21..].iter().all(|v| *v == -70.0)); // nothing else happens
    }

    #[test]
    fn refractory_input_is_added_after_the_period_damped() {
        // NEST: a spike arriving with r steps of refractoriness left is added at the end of the
        // period multiplied by e^{−r h/τ_m}; then it decays normally.
        let mut nd = nodes(1);
        nd.table_mut().set(REFRACTORY_INPUT, 0, 1.0);
        let (vm, spikes) = run(&mut nd, 0.1, 60, |t, ch| match (t, ch) {
            (0, 0) => 16.0,
            (10, 0) => 4.0, // r = 20 − 9 = 11 steps left at step 10
            _ => 0.0,
        });
        assert_eq!(spikes, vec![1]);
        assert!(vm[..20].iter().all(|v| *v == -70.0));
        // First free step (t = 21): y = P33·0 + buffered = 4 e^{−11·0.1/10}.
        let expected = 4.0 * (-11.0 * 0.1_f64 / 10.0).exp();
        assert!((vm[21] + 70.0 - expected).abs() < 1e-13, "{}", vm[21]);
    }

    #[test]
    fn v_min_bounds_the_potential() {
        let mut nd = nodes(1);
        nd.table_mut().set(V_MIN, 0, -75.0);
        let (vm, _) = run(&mut nd, 0.1, 50, |t, ch| if t == 2 && ch == 0 { -20.0 } else { 0.0 });
        assert_eq!(vm[2], -75.0);
    }

    #[test]
    fn validation_uses_nest_messages_with_values() {
        let nd = nodes(1);
        let base = nd.table().row(0);
        let check = |k: usize, x: f64, msg: &str| {
            let mut row = base.clone();
            row[k] = x;
            let e = nd.validate(&row).unwrap_err();
            assert_eq!(e.kind, ErrorKind::BadProperty);
            assert!(e.message.contains(msg), "{}", e.message);
            assert!(e.message.contains(&format!("{x}")), "{}", e.message);
        };
        check(V_RESET, -50.0, "Reset potential must be smaller than threshold");
        check(C_M, -3.0, "Capacitance must be > 0");
        check(T_REF, -0.1, "Refractory time must not be negative");
        check(TAU_M, 0.0, "Membrane time constant must be > 0");
        assert!(nd.validate(&base).is_ok());
    }

    #[test]
    fn routing_follows_nest() {
        let nd = nodes(1);
        assert_eq!(nd.route(0, EventKind::Spike, -1.0).unwrap(), Route::weighted(CH_SPIKES));
        assert_eq!(nd.route(0, EventKind::PoissonDraw, 1.0).unwrap(), Route::weighted(CH_SPIKES));
        assert_eq!(nd.route(0, EventKind::Current, 1.0).unwrap(), Route::weighted(CH_I0));
        assert_eq!(nd.route(1, EventKind::Spike, 1.0).unwrap_err().kind, ErrorKind::UnknownReceptorType);
    }

    #[test]
    fn heterogeneous_parameters_and_set_v_m_between_runs() {
        let mut nd = nodes(3);
        nd.table_mut().set(TAU_M, 1, 20.0);
        nd.table_mut().set(E_L, 2, -65.0); // V_m stays −70 (absolute), relaxes to −65
        nd.prepare(&env(0.1)).unwrap();
        let data = vec![0.0; 6];
        let mut ev = Vec::new();
        nd.update(&StepCtx { t: 0, h: 0.1 }, &Inputs::new(&data, 3, 1, 0), &mut Emitter::new(&mut ev));
        assert_eq!(nd.read(0, 0), -70.0);
        assert!((nd.read(0, 2) - (-65.0 - 5.0 * (-0.01_f64).exp())).abs() < 1e-13);
        // SetStatus(V_m) between runs is honoured by the next prepare.
        nd.table_mut().set(V_M, 1, -60.0);
        nd.prepare(&env(0.1)).unwrap();
        nd.update(&StepCtx { t: 1, h: 0.1 }, &Inputs::new(&data, 3, 1, 0), &mut Emitter::new(&mut ev));
        assert!((nd.read(0, 1) - (-70.0 + 10.0 * (-0.1_f64 / 20.0).exp())).abs() < 1e-13);
    }
}
