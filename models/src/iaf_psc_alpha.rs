//! # iaf_psc_alpha — leaky integrate-and-fire neuron with alpha-shaped input currents
//!
//! A leaky integrate-and-fire neuron with a hard threshold, a fixed refractory period, no
//! adaptation, and α-shaped synaptic currents, integrated exactly on the time grid as in NEST
//! (model `iaf_psc_alpha`, NEST 3.10).
//!
//! ## Equations
//!
//! ```text
//! dV_m/dt = −(V_m − E_L)/τ_m + (I_syn_ex + I_syn_in + I_e + I_stim)/C_m
//! i_syn,X(t) = w · (e/τ_syn,X) · t · e^{−t/τ_syn,X} · Θ(t)        (unit peak at t = τ_syn,X)
//! ```
//!
//! A spike is emitted at step t_{k+1} when V_m(t_{k+1}) ≥ V_th; V_m is then set to V_reset and
//! clamped there for t_ref (rounded up to whole steps as NEST does). V_m is bounded below by
//! V_min (−∞ by default). Each current X ∈ {ex, in} is the state pair (dI_X, I_X); a spike of
//! weight w arriving in a step adds w·e/τ_syn,X to dI_X. One step h maps the state by the exact
//! propagator (Rotter & Diesmann 1999), with NEST's treatment of τ_m ≈ τ_syn (see
//! [`crate::numerics::IafPropagator`]):
//!
//! ```text
//! y3 ← P30·(I_stim + I_e) + P31_ex·dI_ex + P32_ex·I_ex + P31_in·dI_in + P32_in·I_in + expm1(−h/τ_m)·y3 + y3
//! I_X ← h·e^{−h/τ_X}·dI_X + e^{−h/τ_X}·I_X ;  dI_X ← e^{−h/τ_X}·dI_X + (e/τ_X)·(spike input)
//! ```
//!
//! where y3 = V_m − E_L, P30 = −τ_m/C_m · expm1(−h/τ_m). A step current (`I_stim`, from current
//! generators) received in a step acts during the following step.
//!
//! ## Parameters
//!
//! | NEST name    | unit | default | meaning                                             |
//! |--------------|------|---------|-----------------------------------------------------|
//! | `E_L`        | mV   | −70     | resting membrane potential                          |
//! | `C_m`        | pF   | 250     | membrane capacitance                                |
//! | `tau_m`      | ms   | 10      | membrane time constant                              |
//! | `t_ref`      | ms   | 2       | duration of the refractory period                   |
//! | `V_th`       | mV   | −55     | spike threshold                                     |
//! | `V_reset`    | mV   | −70     | reset potential                                     |
//! | `tau_syn_ex` | ms   | 2       | rise time of the excitatory α current               |
//! | `tau_syn_in` | ms   | 2       | rise time of the inhibitory α current               |
//! | `I_e`        | pA   | 0       | constant input current                              |
//! | `V_min`      | mV   | −∞      | lower bound of the membrane potential               |
//!
//! Checks (NEST's, in NEST's order, each a `BadProperty`): `C_m > 0`, `tau_m > 0`,
//! `tau_syn_ex > 0` and `tau_syn_in > 0`, `t_ref >= 0`, `V_reset < V_th`. `V_min` is not checked.
//!
//! Voltages are shown as absolute values, but, as in NEST, `V_th`, `V_reset`, `V_min` and `V_m`
//! are kept relative to `E_L` internally. Setting `E_L` alone leaves the *absolute* values of
//! `V_th`, `V_reset`, `V_min` and `V_m` unchanged (NEST 3.x semantics, checked with NEST 3.10).
//!
//! ## State and recordables
//!
//! * Status: `V_m` (mV, initial −70).
//! * Recordables (NEST's list): `I_syn_ex`, `I_syn_in` (pA), `V_m` (mV). The synaptic currents
//!   are recordable but, as in NEST, not part of the status dictionary. The refractory counter
//!   and dI/dt are internal, as in NEST.
//!
//! ## Events
//!
//! * Sends: spikes.
//! * Receives: spikes on receptor 0 (weight·multiplicity > 0 → excitatory, otherwise inhibitory,
//!   NEST's `s > 0` rule), currents on receptor 0. Other receptors: `UnknownReceptorType`.
//!
//! Input channels: 0 = excitatory spikes, 1 = inhibitory spikes, 2 = step current.
//!
//! ## References
//!
//! 1. Rotter S, Diesmann M (1999). Exact simulation of time-invariant linear systems with
//!    applications to neuronal modeling. Biol Cybern 81:381–402. doi:10.1007/s004220050570
//! 2. Diesmann M, Gewaltig M-O, Rotter S, Aertsen A (2001). State space analysis of synchronous
//!    spiking in cortical neural networks. Neurocomputing 38–40:565–571.
//!    doi:10.1016/S0925-2312(01)00409-X
//! 3. Morrison A, Straube S, Plesser HE, Diesmann M (2007). Exact subthreshold integration with
//!    continuous spike times in discrete-time neural network simulations. Neural Comput
//!    19(1):47–79. doi:10.1162/neco.2007.19.1.47
//!
//! ## See also
//!
//! [`crate::iaf_psc_exp`], [`crate::iaf_psc_delta`], [`crate::numerics`].

use crate::numerics::{expm1, ms_to_steps, nest_resolution, IafPropagator};
use nestor_kernel::error::{Error, ErrorKind, Result};
use nestor_kernel::model::{Emitter, Env, EventKind, Inputs, Instance, Model, Node, NodeKind, Route, StepCtx};
use nestor_kernel::schema::{ParamSpec, ParamTable};
use nestor_kernel::units::{Quantity, Unit};

const NAME: &str = "iaf_psc_alpha";

// Column of each status key in the table (one table per model: Rust index ↔ NEST key).
const E_L: usize = 0;
const C_M: usize = 1;
const TAU_M: usize = 2;
const T_REF: usize = 3;
const V_TH: usize = 4;
const V_RESET: usize = 5;
const TAU_SYN_EX: usize = 6;
const TAU_SYN_IN: usize = 7;
const I_E: usize = 8;
const V_MIN: usize = 9;
const V_M: usize = 10;

/// The status schema of `iaf_psc_alpha`: NEST names, units and defaults.
pub static SCHEMA: [ParamSpec; 13] = [
    ParamSpec::param("E_L", Unit::MilliVolt, -70.0, "Resting membrane potential"),
    ParamSpec::param("C_m", Unit::PicoFarad, 250.0, "Capacitance of the membrane"),
    ParamSpec::param("tau_m", Unit::Millisecond, 10.0, "Membrane time constant"),
    ParamSpec::param("t_ref", Unit::Millisecond, 2.0, "Duration of refractory period"),
    ParamSpec::param("V_th", Unit::MilliVolt, -55.0, "Spike threshold"),
    ParamSpec::param("V_reset", Unit::MilliVolt, -70.0, "Reset potential of the membrane"),
    ParamSpec::param("tau_syn_ex", Unit::Millisecond, 2.0, "Rise time of the excitatory synaptic alpha function"),
    ParamSpec::param("tau_syn_in", Unit::Millisecond, 2.0, "Rise time of the inhibitory synaptic alpha function"),
    ParamSpec::param("I_e", Unit::PicoAmpere, 0.0, "Constant input current"),
    ParamSpec::param("V_min", Unit::MilliVolt, f64::NEG_INFINITY, "Absolute lower value for the membrane potential"),
    ParamSpec::state("V_m", Unit::MilliVolt, -70.0, "Membrane potential"),
    ParamSpec::param("tau_minus", Unit::Millisecond, 20.0, "Time constant of the K- trace read by STDP synapses"),
    ParamSpec::param("tau_minus_triplet", Unit::Millisecond, 110.0, "Time constant of the triplet K- trace"),
];

/// Input channel of excitatory spikes (weight > 0).
pub const CH_SYN_EX: u16 = 0;
/// Input channel of inhibitory spikes (weight ≤ 0).
pub const CH_SYN_IN: u16 = 1;
/// Input channel of step currents.
pub const CH_I0: u16 = 2;

const RECORDABLES: &[&str] = &["I_syn_ex", "I_syn_in", "V_m"];

/// The `iaf_psc_alpha` model (factory).
#[derive(Debug, Clone, Copy, Default)]
pub struct IafPscAlpha;

impl Model for IafPscAlpha {
    fn name(&self) -> &'static str {
        NAME
    }
    fn kind(&self) -> NodeKind {
        NodeKind::Neuron
    }
    fn doc(&self) -> &'static str {
        "Leaky integrate-and-fire model with alpha-shaped input currents"
    }
    fn instantiate(&self, n: usize) -> Instance {
        Instance::Node(Box::new(IafPscAlphaNodes::new(n)))
    }
}

/// Dynamic state besides `V_m`, one entry per node.
#[derive(Debug, Clone, Default)]
struct State {
    /// V_m − E_L in mV (NEST's y3); the table's `V_m` column mirrors y3 + E_L.
    y3: Vec<f64>,
    /// Step current received in the previous step, in pA (NEST's y0).
    y0: Vec<f64>,
    /// dI_ex/dt-like state of the excitatory α current, in pA/ms.
    di_ex: Vec<f64>,
    /// Excitatory synaptic current, in pA.
    i_ex: Vec<f64>,
    /// dI_in/dt-like state of the inhibitory α current, in pA/ms.
    di_in: Vec<f64>,
    /// Inhibitory synaptic current, in pA.
    i_in: Vec<f64>,
    /// Remaining refractory steps.
    r: Vec<i64>,
}

/// One node's propagators and parameters in the form `update` uses, set by `prepare`.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Consts {
    /// e^{−h/τ_ex} (P11 = P22 of the excitatory current).
    p11_ex: f64,
    /// h·e^{−h/τ_ex} in ms.
    p21_ex: f64,
    /// Excitatory dI → V_m propagator.
    p31_ex: f64,
    /// Excitatory I → V_m propagator, mV/pA.
    p32_ex: f64,
    /// e^{−h/τ_in}.
    p11_in: f64,
    /// h·e^{−h/τ_in} in ms.
    p21_in: f64,
    /// Inhibitory dI → V_m propagator.
    p31_in: f64,
    /// Inhibitory I → V_m propagator, mV/pA.
    p32_in: f64,
    /// Current → V_m propagator, mV/pA.
    p30: f64,
    /// expm1(−h/τ_m).
    expm1_tau_m: f64,
    /// e/τ_ex in 1/ms: the dI jump of a unit-weight excitatory spike.
    epsc_init: f64,
    /// e/τ_in in 1/ms.
    ipsc_init: f64,
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
}

/// A chunk of `iaf_psc_alpha` neurons, stored as structure of arrays.
#[derive(Debug, Clone)]
pub struct IafPscAlphaNodes {
    table: ParamTable,
    state: State,
    pre: Precomputed,
}

impl IafPscAlphaNodes {
    /// `n` neurons at NEST's defaults.
    pub fn new(n: usize) -> Self {
        let table = ParamTable::new(&SCHEMA, n);
        let z = vec![0.0; n];
        let y3 = (0..n).map(|i| table.get(V_M, i) - table.get(E_L, i)).collect();
        let state =
            State { y3, y0: z.clone(), di_ex: z.clone(), i_ex: z.clone(), di_in: z.clone(), i_in: z, r: vec![0; n] };
        IafPscAlphaNodes { table, state, pre: Precomputed::default() }
    }

    /// One step of all nodes; `UNIFORM`: all nodes share `consts[0]`.
    #[inline(always)]
    fn step<const UNIFORM: bool>(&mut self, inputs: &Inputs<'_>, out: &mut Emitter<'_>) {
        let n = self.len();
        let s = &mut self.state;
        let consts = &self.pre.consts[..];
        let v_m = &mut self.table.col_mut(V_M)[..n];
        let in_ex = &inputs.channel(CH_SYN_EX as usize)[..n];
        let in_in = &inputs.channel(CH_SYN_IN as usize)[..n];
        let in_i0 = &inputs.channel(CH_I0 as usize)[..n];
        let (y3, y0, r) = (&mut s.y3[..n], &mut s.y0[..n], &mut s.r[..n]);
        let (di_ex, i_ex) = (&mut s.di_ex[..n], &mut s.i_ex[..n]);
        let (di_in, i_in) = (&mut s.di_in[..n], &mut s.i_in[..n]);
        for i in 0..n {
            let c = &consts[if UNIFORM { 0 } else { i }];
            if r[i] == 0 {
                // NEST's order of operations, for bitwise agreement.
                let v = c.p30 * (y0[i] + c.i_e)
                    + c.p31_ex * di_ex[i]
                    + c.p32_ex * i_ex[i]
                    + c.p31_in * di_in[i]
                    + c.p32_in * i_in[i]
                    + c.expm1_tau_m * y3[i]
                    + y3[i];
                y3[i] = if v < c.lower { c.lower } else { v };
            } else {
                r[i] -= 1;
            }

            i_ex[i] = c.p21_ex * di_ex[i] + c.p11_ex * i_ex[i];
            di_ex[i] *= c.p11_ex;
            di_ex[i] += c.epsc_init * in_ex[i];

            i_in[i] = c.p21_in * di_in[i] + c.p11_in * i_in[i];
            di_in[i] *= c.p11_in;
            di_in[i] += c.ipsc_init * in_in[i];

            if y3[i] >= c.theta {
                r[i] = c.ref_counts;
                y3[i] = c.v_reset;
                out.spike(i);
            }

            y0[i] = in_i0[i];
            v_m[i] = y3[i] + c.e_l;
        }
    }
}

fn unknown_receptor(receptor: i64) -> Error {
    Error::new(ErrorKind::UnknownReceptorType, format!("Receptor type {receptor} is not available in {NAME}."))
}

impl Node for IafPscAlphaNodes {
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
        if row[C_M] <= 0.0 {
            return Err(Error::bad_property(format!("Capacitance must be > 0 (got C_m = {} pF).", row[C_M])));
        }
        if row[TAU_M] <= 0.0 {
            return Err(Error::bad_property(format!(
                "Membrane time constant must be > 0 (got tau_m = {} ms).",
                row[TAU_M]
            )));
        }
        if row[TAU_SYN_EX] <= 0.0 || row[TAU_SYN_IN] <= 0.0 {
            return Err(Error::bad_property(format!(
                "All synaptic time constants must be > 0 (got tau_syn_ex = {} ms, tau_syn_in = {} ms).",
                row[TAU_SYN_EX], row[TAU_SYN_IN]
            )));
        }
        if row[T_REF] < 0.0 {
            return Err(Error::bad_property(format!(
                "The refractory time t_ref can't be negative (got t_ref = {} ms).",
                row[T_REF]
            )));
        }
        if row[V_RESET] >= row[V_TH] {
            return Err(Error::bad_property(format!(
                "Reset potential must be smaller than threshold (got V_reset = {} mV, V_th = {} mV).",
                row[V_RESET], row[V_TH]
            )));
        }
        Ok(())
    }

    fn prepare(&mut self, env: &Env) -> Result<()> {
        let h = nest_resolution(env.resolution);
        let n = self.len();
        let t = &self.table;
        let p = &mut self.pre;
        p.consts.clear();
        for i in 0..n {
            let (tau_m, c_m) = (t.get(TAU_M, i), t.get(C_M, i));
            let (tau_ex, tau_in) = (t.get(TAU_SYN_EX, i), t.get(TAU_SYN_IN, i));
            let e_l = t.get(E_L, i);
            let p11_ex = (-h / tau_ex).exp();
            let p11_in = (-h / tau_in).exp();
            let (p31_ex, p32_ex) = IafPropagator::new(tau_ex, tau_m, c_m).alpha(h);
            let (p31_in, p32_in) = IafPropagator::new(tau_in, tau_m, c_m).alpha(h);
            p.consts.push(Consts {
                p11_ex,
                p21_ex: h * p11_ex,
                p31_ex,
                p32_ex,
                p11_in,
                p21_in: h * p11_in,
                p31_in,
                p32_in,
                p30: -tau_m / c_m * expm1(-h / tau_m),
                expm1_tau_m: expm1(-h / tau_m),
                epsc_init: 1.0 * std::f64::consts::E / tau_ex,
                ipsc_init: 1.0 * std::f64::consts::E / tau_in,
                theta: t.get(V_TH, i) - e_l,
                v_reset: t.get(V_RESET, i) - e_l,
                lower: t.get(V_MIN, i) - e_l,
                i_e: t.get(I_E, i),
                e_l,
                ref_counts: ms_to_steps(t.get(T_REF, i), h),
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
        3
    }

    fn route(&self, receptor: i64, kind: EventKind, weight: f64) -> Result<Route> {
        if receptor != 0 {
            return Err(unknown_receptor(receptor));
        }
        Ok(match kind {
            k if k.is_spike() => Route::weighted(if weight > 0.0 { CH_SYN_EX } else { CH_SYN_IN }),
            _ => Route::weighted(CH_I0),
        })
    }

    /// Weights given with a unit are read in NEST's unit for this model's synaptic input.
    fn weight_unit(&self, _receptor: i64) -> Option<Quantity> {
        Some(Quantity::new(1.0, Unit::PicoAmpere))
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

    fn read(&self, var: usize, i: usize) -> f64 {
        match var {
            0 => self.state.i_ex[i],
            1 => self.state.i_in[i],
            _ => self.table.get(V_M, i),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nestor_kernel::model::LocalEvent;

    fn nodes(n: usize) -> Box<dyn Node> {
        match IafPscAlpha.instantiate(n) {
            Instance::Node(b) => b,
            Instance::Recorder(_) => panic!("iaf_psc_alpha must instantiate nodes"),
        }
    }

    fn env(h: f64) -> Env {
        Env { resolution: h, now: 0, min_delay: 1, max_delay: 1 }
    }

    /// Drives `steps` updates; `input(t, ch, i)` gives the input of channel `ch` at step t.
    /// Returns V_m traces (per node, per step, recorded at (t+1)h) and spike steps (t+1).
    fn run(
        nd: &mut Box<dyn Node>,
        h: f64,
        steps: i64,
        input: impl Fn(i64, usize, usize) -> f64,
    ) -> (Vec<Vec<f64>>, Vec<(usize, i64)>) {
        let n = nd.len();
        nd.prepare(&env(h)).unwrap();
        let mut data = vec![0.0; 3 * n];
        let mut ev: Vec<LocalEvent> = Vec::new();
        let mut vm = vec![Vec::new(); n];
        let mut spikes = Vec::new();
        for t in 0..steps {
            for ch in 0..3 {
                for i in 0..n {
                    data[ch * n + i] = input(t, ch, i);
                }
            }
            ev.clear();
            nd.update(&StepCtx { t, h }, &Inputs::new(&data, n, 1, 0), &mut Emitter::new(&mut ev));
            for e in &ev {
                spikes.push((e.local as usize, t + 1));
            }
            for (i, v) in vm.iter_mut().enumerate() {
                v.push(nd.read(2, i));
            }
        }
        (vm, spikes)
    }

    #[test]
    fn defaults_and_recordables_are_nest_s() {
        // Oracle: nest.GetDefaults('iaf_psc_alpha') in NEST 3.10.
        let nd = nodes(2);
        let t = nd.table();
        let get = |k: &str| t.get(t.specs().iter().position(|s| s.name == k).unwrap(), 1);
        assert_eq!(get("C_m"), 250.0);
        assert_eq!(get("V_min"), f64::NEG_INFINITY);
        assert_eq!(get("V_th"), -55.0);
        assert_eq!(&nd.recordables()[..], &["I_syn_ex", "I_syn_in", "V_m"]);
        assert_eq!(nd.channels(), 3);
        assert_eq!(nd.output(), Some(EventKind::Spike));
    }

    #[test]
    fn dc_response_matches_closed_form() {
        // Oracle: V(t) = E_L + R I (1 − e^{−t/τ_m}), R = τ_m / C_m, below threshold.
        let mut nd = nodes(1);
        nd.table_mut().set(I_E, 0, 200.0); // R I = 8 mV < 15 mV
        let (vm, spikes) = run(&mut nd, 0.1, 1000, |_, _, _| 0.0);
        assert!(spikes.is_empty());
        for (k, v) in vm[0].iter().enumerate() {
            let t = (k + 1) as f64 * 0.1;
            let exact = -70.0 + 10.0 / 250.0 * 200.0 * (1.0 - (-t / 10.0).exp());
            assert!((v - exact).abs() < 1e-12, "t = {t}: {v} vs {exact}");
        }
    }

    #[test]
    fn step_current_acts_from_the_following_step() {
        // NEST: y0 is set at the end of the step in which the current arrives.
        let mut nd = nodes(1);
        let (vm, _) = run(&mut nd, 0.1, 3, |t, ch, _| if t == 0 && ch == 2 { 100.0 } else { 0.0 });
        assert_eq!(vm[0][0], -70.0);
        let p30 = -10.0 / 250.0 * (-0.1_f64 / 10.0).exp_m1();
        assert!((vm[0][1] - (-70.0 + p30 * 100.0)).abs() < 1e-14);
    }

    #[test]
    fn psp_follows_the_alpha_closed_form_and_peaks_where_it_should() {
        // Oracle: for τ_s ≠ τ_m the PSP of a unit-peak α current of weight w is
        // V(t) − E_L = w e/(τ_s C) ∫0^t s e^{−s/τ_s} e^{−(t−s)/τ_m} ds, maximal at the root of
        // its derivative. The spike arrives in step 0, so the PSC starts at t = 0 (the first
        // recorded V at h is still E_L only for the I part: dI is set at the end of step 0).
        let (tau_s, tau_m, c, w) = (2.0_f64, 10.0_f64, 250.0_f64, 100.0_f64);
        let mut nd = nodes(1);
        let (vm, _) = run(&mut nd, 0.1, 400, |t, ch, _| if t == 0 && ch == 0 { w } else { 0.0 });
        let a = 1.0 / tau_s - 1.0 / tau_m;
        let psp = |t: f64| {
            // ∫0^t s e^{−a s} ds · e^{−t/τ_m}
            let int = (1.0 - (1.0 + a * t) * (-a * t).exp()) / (a * a);
            w * std::f64::consts::E / (tau_s * c) * int * (-t / tau_m).exp()
        };
        for (k, v) in vm[0].iter().enumerate() {
            // The PSC starts at the end of step 0, i.e. at t = h: record k is at (k+1)h.
            let t = k as f64 * 0.1;
            assert!((v + 70.0 - psp(t)).abs() < 1e-12, "k = {k}");
        }
        // Peak time: d/dt PSP = 0 ⇔ t e^{−a t}... solved numerically on a fine grid.
        let k_max = vm[0].iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1)).unwrap().0;
        let t_peak = (0..200000).map(|j| j as f64 * 1e-4).max_by(|x, y| psp(*x).total_cmp(&psp(*y))).unwrap();
        assert!(((k_max as f64) * 0.1 - t_peak).abs() <= 0.05 + 1e-9, "{k_max} {t_peak}");
    }

    #[test]
    fn singular_tau_limit_is_continuous() {
        // tau_syn = tau_m uses NEST's limit propagators; nearby values use the regular ones.
        let mut traces = Vec::new();
        let eps = [0.0, 1e-9, -1e-9, 1e-6];
        for e in eps {
            let tau_s = 10.0 * (1.0 + e);
            let mut nd = nodes(1);
            nd.table_mut().set(TAU_SYN_EX, 0, tau_s);
            nd.table_mut().set(TAU_SYN_IN, 0, tau_s);
            let (vm, _) = run(&mut nd, 0.1, 500, |t, ch, _| match (t, ch) {
                (5, 0) => 80.0,
                (30, 1) => -50.0,
                _ => 0.0,
            });
            traces.push(vm[0].clone());
        }
        // PSPs here are below 1 mV and depend smoothly on tau_syn: differences stay below |eps| mV.
        for (tr, e) in traces[1..].iter().zip(&eps[1..]) {
            for (a, b) in traces[0].iter().zip(tr) {
                assert!((a - b).abs() < e.abs(), "eps {e}: {a} vs {b}");
            }
        }
        // The singular trace equals the closed form (w e/(τ C)) t²/2 e^{−t/τ} for one spike.
        let mut nd = nodes(1);
        nd.table_mut().set(TAU_SYN_EX, 0, 10.0);
        let (vm, _) = run(&mut nd, 0.1, 300, |t, ch, _| if t == 0 && ch == 0 { 80.0 } else { 0.0 });
        for (k, v) in vm[0].iter().enumerate() {
            let t = k as f64 * 0.1;
            let exact = 80.0 * std::f64::consts::E / (10.0 * 250.0) * t * t / 2.0 * (-t / 10.0).exp();
            assert!((v + 70.0 - exact).abs() < 1e-12, "k = {k}");
        }
    }

    #[test]
    fn i_e_376_pa_spikes_as_in_nest() {
        // Oracle: NEST 3.10, iaf_psc_alpha with I_e = 376 pA at h = 0.1 ms for 1000 ms:
        // 16 spikes, first at 59.3 ms, then every 61.3 ms (t_ref 2 ms included).
        let mut nd = nodes(1);
        nd.table_mut().set(I_E, 0, 376.0);
        let (_, spikes) = run(&mut nd, 0.1, 10000, |_, _, _| 0.0);
        let steps: Vec<i64> = spikes.iter().map(|s| s.1).collect();
        let expected: Vec<i64> = (0..16).map(|k| 593 + 613 * k).collect();
        assert_eq!(steps, expected);
        assert_eq!(*steps.last().unwrap(), 9788); // 978.8 ms
    }

    #[test]
    fn refractory_period_lasts_t_ref_in_steps() {
        // V_m is clamped to V_reset for exactly ceil(t_ref/h) steps after the spike step.
        for (t_ref, h, counts) in [(2.0, 0.1, 20), (2.05, 0.1, 21), (0.0, 0.1, 0), (1.5, 0.5, 3)] {
            let mut nd = nodes(1);
            nd.table_mut().set(I_E, 0, 2000.0);
            nd.table_mut().set(T_REF, 0, t_ref);
            let (vm, spikes) = run(&mut nd, h, 400, |_, _, _| 0.0);
            let first = spikes[0].1 as usize; // V_m recorded at step `first` is V_reset
            let clamped = vm[0][first - 1..].iter().take_while(|v| **v == -70.0).count();
            assert_eq!(clamped, counts + 1, "t_ref {t_ref} h {h}");
            assert!(spikes[1].1 - spikes[0].1 > counts as i64);
        }
    }

    #[test]
    fn v_min_bounds_the_potential() {
        let mut nd = nodes(1);
        nd.table_mut().set(V_MIN, 0, -72.0);
        let (vm, _) = run(&mut nd, 0.1, 200, |t, ch, _| if t == 0 && ch == 1 { -5000.0 } else { 0.0 });
        let min = vm[0].iter().cloned().fold(f64::INFINITY, f64::min);
        assert_eq!(min, -72.0);
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
        check(C_M, 0.0, "Capacitance must be > 0");
        check(TAU_M, -1.0, "Membrane time constant must be > 0");
        check(TAU_SYN_EX, 0.0, "All synaptic time constants must be > 0");
        check(TAU_SYN_IN, -2.0, "All synaptic time constants must be > 0");
        check(T_REF, -0.1, "t_ref can't be negative");
        check(V_RESET, -55.0, "Reset potential must be smaller than threshold");
        check(V_TH, -80.0, "Reset potential must be smaller than threshold");
        assert!(nd.validate(&base).is_ok());
        let mut row = base.clone();
        row[V_MIN] = -60.0; // NEST does not check V_min against V_reset
        assert!(nd.validate(&row).is_ok());
    }

    #[test]
    fn routing_follows_nest() {
        let nd = nodes(1);
        assert_eq!(nd.route(0, EventKind::Spike, 1.0).unwrap(), Route::weighted(CH_SYN_EX));
        assert_eq!(nd.route(0, EventKind::Spike, 0.0).unwrap(), Route::weighted(CH_SYN_IN));
        assert_eq!(nd.route(0, EventKind::PoissonDraw, -1.0).unwrap(), Route::weighted(CH_SYN_IN));
        assert_eq!(nd.route(0, EventKind::Current, -1.0).unwrap(), Route::weighted(CH_I0));
        assert_eq!(nd.route(0, EventKind::GaussianCurrentDraw, 1.0).unwrap(), Route::weighted(CH_I0));
        assert_eq!(nd.route(1, EventKind::Spike, 1.0).unwrap_err().kind, ErrorKind::UnknownReceptorType);
    }

    #[test]
    fn setting_e_l_keeps_absolute_voltages_and_runs_continue_exactly() {
        // NEST 3.10: SetStatus({'E_L': -60}) leaves V_m, V_th, V_reset as they were (absolute).
        let mut nd = nodes(1);
        nd.table_mut().set(E_L, 0, -60.0);
        let (vm, _) = run(&mut nd, 0.1, 1, |_, _, _| 0.0);
        // V_m starts at −70, relaxes towards −60.
        let exact = -60.0 - 10.0 * (-0.1_f64 / 10.0).exp();
        assert!((vm[0][0] - exact).abs() < 1e-12);
        // Two runs equal one run.
        let mut a = nodes(1);
        a.table_mut().set(I_E, 0, 500.0);
        let mut b = nodes(1);
        b.table_mut().set(I_E, 0, 500.0);
        let (va, sa) = run(&mut a, 0.1, 2000, |_, _, _| 0.0);
        let (mut vb, mut sb) = run(&mut b, 0.1, 700, |_, _, _| 0.0);
        let (vb2, sb2) = run(&mut b, 0.1, 1300, |_, _, _| 0.0);
        vb[0].extend(&vb2[0]);
        sb.extend(sb2.iter().map(|(i, t)| (*i, t + 700)));
        assert_eq!(va, vb);
        assert_eq!(sa, sb);
    }
}
