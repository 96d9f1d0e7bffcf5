//! # iaf_psc_exp — leaky integrate-and-fire neuron with exponential-shaped input currents
//!
//! A leaky integrate-and-fire neuron with a hard threshold, a fixed refractory period, no
//! adaptation, and exponentially decaying synaptic currents (Tsodyks et al. 2000), integrated
//! exactly on the time grid as in NEST (model `iaf_psc_exp`, NEST 3.10).
//!
//! ## Equations
//!
//! ```text
//! dV_m/dt = −(V_m − E_L)/τ_m + (I_syn_ex + I_syn_in + I_e + I_stim)/C_m
//! i_syn,X(t) = w · e^{−t/τ_syn,X} · Θ(t)                         (jump w at the arrival)
//! ```
//!
//! A spike is emitted at step t_{k+1} when V_m(t_{k+1}) ≥ V_th; V_m is then set to V_reset and
//! clamped there for t_ref (rounded up to whole steps as NEST does). One step h (with
//! y = V_m − E_L):
//!
//! ```text
//! y     ← y·e^{−h/τ_m} + I_syn_ex·P21_ex + I_syn_in·P21_in + (I_e + I_stim)·τ_m/C_m·(1 − e^{−h/τ_m})
//! I_X   ← I_X·e^{−h/τ_X} (+ (1 − e^{−h/τ_ex})·I_1 for X = ex) + (spike input of the step)
//! ```
//!
//! P21_X is NEST's exact propagator including its handling of τ_m ≈ τ_syn,X (see
//! [`crate::numerics::IafPropagator`]). Step currents on receptor 0 (`I_stim`) enter the membrane
//! equation directly; step currents on receptor 1 (`I_1`) are filtered through the excitatory
//! synaptic kernel and add to `I_syn_ex` (Schuecker et al. 2015). Currents received in a step act
//! during the following step.
//!
//! ## Parameters
//!
//! | NEST name    | unit | default | meaning                                              |
//! |--------------|------|---------|------------------------------------------------------|
//! | `E_L`        | mV   | −70     | resting membrane potential                           |
//! | `C_m`        | pF   | 250     | membrane capacitance                                 |
//! | `tau_m`      | ms   | 10      | membrane time constant                               |
//! | `t_ref`      | ms   | 2       | duration of the refractory period                    |
//! | `V_th`       | mV   | −55     | spike threshold                                      |
//! | `V_reset`    | mV   | −70     | reset potential                                      |
//! | `tau_syn_ex` | ms   | 2       | decay time of the excitatory current                 |
//! | `tau_syn_in` | ms   | 2       | decay time of the inhibitory current                 |
//! | `I_e`        | pA   | 0       | constant input current                               |
//! | `rho`        | 1/s  | 0.01    | baseline rate of stochastic spiking (escape noise)   |
//! | `delta`      | mV   | 0       | width of the stochastic threshold region; 0 = hard   |
//!
//! NEST's `iaf_psc_exp` has no `V_min`. Checks (NEST's, in NEST's order, each a
//! `BadProperty`): `V_reset < V_th`, `C_m > 0`, `tau_m`, `tau_syn_ex`, `tau_syn_in > 0`,
//! `t_ref >= 0`, `rho >= 0`, `delta >= 0`.
//!
//! With `delta > 1e-10` NEST fires stochastically with intensity ρ·exp((V_m − V_th)/δ), drawing
//! from its per-thread random stream. nestor does not implement this escape noise yet (models
//! get no random stream from the kernel); `prepare` then fails with a `KernelException`.
//!
//! As in NEST, voltages are shown as absolute values but kept relative to `E_L`; setting `E_L`
//! alone leaves the absolute `V_th`, `V_reset` and `V_m` unchanged.
//!
//! ## State and recordables
//!
//! * Status: `V_m` (mV, initial −70).
//! * Recordables (NEST's list): `I_syn_ex`, `I_syn_in` (pA), `V_m` (mV). `I_syn_ex` includes the
//!   filtered receptor-1 current, as in NEST.
//!
//! ## Events
//!
//! * Sends: spikes.
//! * Receives: spikes on receptor 0 (weight·multiplicity > 0 → excitatory, otherwise inhibitory,
//!   NEST's `s > 0` rule); currents on receptor 0 (direct) and receptor 1 (filtered). Other
//!   receptors: `UnknownReceptorType`.
//!
//! Input channels: 0 = excitatory spikes, 1 = inhibitory spikes, 2 = step current (receptor 0),
//! 3 = filtered step current (receptor 1).
//!
//! ## References
//!
//! 1. Tsodyks M, Uziel A, Markram H (2000). Synchrony generation in recurrent networks with
//!    frequency-dependent synapses. J Neurosci 20:RC50. doi:10.1523/JNEUROSCI.20-01-j0003.2000
//! 2. Rotter S, Diesmann M (1999). Exact simulation of time-invariant linear systems with
//!    applications to neuronal modeling. Biol Cybern 81:381–402. doi:10.1007/s004220050570
//! 3. Diesmann M, Gewaltig M-O, Rotter S, Aertsen A (2001). State space analysis of synchronous
//!    spiking in cortical neural networks. Neurocomputing 38–40:565–571.
//!    doi:10.1016/S0925-2312(01)00409-X
//! 4. Schuecker J, Diesmann M, Helias M (2015). Modulated escape from a metastable state driven
//!    by colored noise. Phys Rev E 92:052119. doi:10.1103/PhysRevE.92.052119
//!
//! ## See also
//!
//! [`crate::iaf_psc_alpha`], [`crate::iaf_psc_delta`], [`crate::numerics`].

use crate::numerics::{ms_to_steps, nest_resolution, IafPropagator};
use nestor_kernel::error::{Error, ErrorKind, Result};
use nestor_kernel::model::{Emitter, Env, EventKind, Inputs, Instance, Model, Node, NodeKind, Route, StepCtx};
use nestor_kernel::schema::{ParamSpec, ParamTable};
use nestor_kernel::units::{Quantity, Unit};

const NAME: &str = "iaf_psc_exp";

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
const RHO: usize = 9;
const DELTA: usize = 10;
const V_M: usize = 11;

/// The status schema of `iaf_psc_exp`: NEST names, units and defaults.
pub static SCHEMA: [ParamSpec; 14] = [
    ParamSpec::param("E_L", Unit::MilliVolt, -70.0, "Resting membrane potential"),
    ParamSpec::param("C_m", Unit::PicoFarad, 250.0, "Capacitance of the membrane"),
    ParamSpec::param("tau_m", Unit::Millisecond, 10.0, "Membrane time constant"),
    ParamSpec::param("t_ref", Unit::Millisecond, 2.0, "Duration of refractory period"),
    ParamSpec::param("V_th", Unit::MilliVolt, -55.0, "Spike threshold"),
    ParamSpec::param("V_reset", Unit::MilliVolt, -70.0, "Reset potential of the membrane"),
    ParamSpec::param("tau_syn_ex", Unit::Millisecond, 2.0, "Decay time of the excitatory synaptic current"),
    ParamSpec::param("tau_syn_in", Unit::Millisecond, 2.0, "Decay time of the inhibitory synaptic current"),
    ParamSpec::param("I_e", Unit::PicoAmpere, 0.0, "Constant input current"),
    ParamSpec::param("rho", Unit::Hertz, 0.01, "Baseline stochastic spiking rate"),
    ParamSpec::param("delta", Unit::MilliVolt, 0.0, "Width of the stochastic threshold region (0: hard threshold)"),
    ParamSpec::state("V_m", Unit::MilliVolt, -70.0, "Membrane potential"),
    ParamSpec::param("tau_minus", Unit::Millisecond, 20.0, "Time constant of the K- trace read by STDP synapses"),
    ParamSpec::param("tau_minus_triplet", Unit::Millisecond, 110.0, "Time constant of the triplet K- trace"),
];

/// Input channel of excitatory spikes (weight > 0).
pub const CH_SYN_EX: u16 = 0;
/// Input channel of inhibitory spikes (weight ≤ 0).
pub const CH_SYN_IN: u16 = 1;
/// Input channel of step currents on receptor 0.
pub const CH_I0: u16 = 2;
/// Input channel of step currents on receptor 1 (filtered by the excitatory kernel).
pub const CH_I1: u16 = 3;

const RECORDABLES: &[&str] = &["I_syn_ex", "I_syn_in", "V_m"];

/// Below this `delta` (mV) the threshold is hard, as in NEST.
const DELTA_HARD: f64 = 1e-10;

/// The `iaf_psc_exp` model (factory).
#[derive(Debug, Clone, Copy, Default)]
pub struct IafPscExp;

impl Model for IafPscExp {
    fn name(&self) -> &'static str {
        NAME
    }
    fn kind(&self) -> NodeKind {
        NodeKind::Neuron
    }
    fn doc(&self) -> &'static str {
        "Leaky integrate-and-fire model with exponential-shaped input currents"
    }
    fn instantiate(&self, n: usize) -> Instance {
        Instance::Node(Box::new(IafPscExpNodes::new(n)))
    }
}

/// Dynamic state besides `V_m`, one entry per node.
#[derive(Debug, Clone, Default)]
struct State {
    /// V_m − E_L in mV; the table's `V_m` column mirrors it plus E_L.
    v: Vec<f64>,
    /// Receptor-0 step current received in the previous step, pA.
    i_0: Vec<f64>,
    /// Receptor-1 step current received in the previous step, pA.
    i_1: Vec<f64>,
    /// Excitatory synaptic current, pA.
    i_syn_ex: Vec<f64>,
    /// Inhibitory synaptic current, pA.
    i_syn_in: Vec<f64>,
    /// Remaining refractory steps.
    r: Vec<i64>,
}

/// One node's propagators and parameters in the form `update` uses, set by `prepare`.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Consts {
    /// e^{−h/τ_ex}.
    p11_ex: f64,
    /// e^{−h/τ_in}.
    p11_in: f64,
    /// e^{−h/τ_m}.
    p22: f64,
    /// Excitatory current → V_m propagator, mV/pA.
    p21_ex: f64,
    /// Inhibitory current → V_m propagator, mV/pA.
    p21_in: f64,
    /// Step current → V_m propagator, mV/pA.
    p20: f64,
    /// 1 − e^{−h/τ_ex}: gain of the receptor-1 current.
    one_minus_p11_ex: f64,
    /// V_th − E_L in mV.
    theta: f64,
    /// V_reset − E_L in mV.
    v_reset: f64,
    /// I_e in pA.
    i_e: f64,
    /// E_L in mV.
    e_l: f64,
    /// t_ref in steps.
    ref_counts: i64,
    /// Whether the hard threshold applies (delta < 1e-10).
    hard: bool,
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

/// A chunk of `iaf_psc_exp` neurons, stored as structure of arrays.
#[derive(Debug, Clone)]
pub struct IafPscExpNodes {
    table: ParamTable,
    state: State,
    pre: Precomputed,
}

impl IafPscExpNodes {
    /// `n` neurons at NEST's defaults.
    pub fn new(n: usize) -> Self {
        let table = ParamTable::new(&SCHEMA, n);
        let z = vec![0.0; n];
        let v = (0..n).map(|i| table.get(V_M, i) - table.get(E_L, i)).collect();
        let state = State { v, i_0: z.clone(), i_1: z.clone(), i_syn_ex: z.clone(), i_syn_in: z, r: vec![0; n] };
        IafPscExpNodes { table, state, pre: Precomputed::default() }
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
        let in_i1 = &inputs.channel(CH_I1 as usize)[..n];
        let (v, r) = (&mut s.v[..n], &mut s.r[..n]);
        let (i_0, i_1) = (&mut s.i_0[..n], &mut s.i_1[..n]);
        let (i_ex, i_in) = (&mut s.i_syn_ex[..n], &mut s.i_syn_in[..n]);
        for i in 0..n {
            let c = &consts[if UNIFORM { 0 } else { i }];
            if r[i] == 0 {
                // NEST's order of operations, for bitwise agreement.
                v[i] = v[i] * c.p22 + i_ex[i] * c.p21_ex + i_in[i] * c.p21_in + (c.i_e + i_0[i]) * c.p20;
            } else {
                r[i] -= 1;
            }

            i_ex[i] *= c.p11_ex;
            i_in[i] *= c.p11_in;
            i_ex[i] += c.one_minus_p11_ex * i_1[i];
            i_ex[i] += in_ex[i];
            i_in[i] += in_in[i];

            if c.hard && v[i] >= c.theta {
                r[i] = c.ref_counts;
                v[i] = c.v_reset;
                out.spike(i);
            }

            i_0[i] = in_i0[i];
            i_1[i] = in_i1[i];
            v_m[i] = v[i] + c.e_l;
        }
    }
}

impl Node for IafPscExpNodes {
    fn len(&self) -> usize {
        self.state.v.len()
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
            return Err(Error::bad_property(format!(
                "Capacitance must be strictly positive (got C_m = {} pF).",
                row[C_M]
            )));
        }
        if row[TAU_M] <= 0.0 || row[TAU_SYN_EX] <= 0.0 || row[TAU_SYN_IN] <= 0.0 {
            return Err(Error::bad_property(format!(
                "Membrane and synapse time constants must be strictly positive \
                 (got tau_m = {} ms, tau_syn_ex = {} ms, tau_syn_in = {} ms).",
                row[TAU_M], row[TAU_SYN_EX], row[TAU_SYN_IN]
            )));
        }
        if row[T_REF] < 0.0 {
            return Err(Error::bad_property(format!(
                "Refractory time must not be negative (got t_ref = {} ms).",
                row[T_REF]
            )));
        }
        if row[RHO] < 0.0 {
            return Err(Error::bad_property(format!(
                "Stochastic firing intensity must not be negative (got rho = {} 1/s).",
                row[RHO]
            )));
        }
        if row[DELTA] < 0.0 {
            return Err(Error::bad_property(format!(
                "Width of threshold region must not be negative (got delta = {} mV).",
                row[DELTA]
            )));
        }
        Ok(())
    }

    fn prepare(&mut self, env: &Env) -> Result<()> {
        let h = nest_resolution(env.resolution);
        let n = self.len();
        let t = &self.table;
        if let Some(i) = (0..n).find(|&i| t.get(DELTA, i) > DELTA_HARD) {
            return Err(Error::new(
                ErrorKind::KernelException,
                format!(
                    "{NAME}: stochastic spiking (delta = {} mV > 0, local node {i}) is not supported yet; \
                     set delta to 0 for a hard threshold",
                    t.get(DELTA, i)
                ),
            ));
        }
        let p = &mut self.pre;
        p.consts.clear();
        for i in 0..n {
            let (tau_m, c_m) = (t.get(TAU_M, i), t.get(C_M, i));
            let (tau_ex, tau_in) = (t.get(TAU_SYN_EX, i), t.get(TAU_SYN_IN, i));
            let e_l = t.get(E_L, i);
            let p11_ex = (-h / tau_ex).exp();
            let p22 = (-h / tau_m).exp();
            p.consts.push(Consts {
                p11_ex,
                p11_in: (-h / tau_in).exp(),
                p22,
                p21_ex: IafPropagator::new(tau_ex, tau_m, c_m).exp(h),
                p21_in: IafPropagator::new(tau_in, tau_m, c_m).exp(h),
                p20: tau_m / c_m * (1.0 - p22),
                one_minus_p11_ex: 1.0 - p11_ex,
                theta: t.get(V_TH, i) - e_l,
                v_reset: t.get(V_RESET, i) - e_l,
                i_e: t.get(I_E, i),
                e_l,
                ref_counts: ms_to_steps(t.get(T_REF, i), h),
                // delta exactly 1e-10 neither fires deterministically nor stochastically in NEST.
                hard: t.get(DELTA, i) < DELTA_HARD,
            });
            // V_m or E_L changed by SetStatus since the last run: the absolute V_m is the truth.
            let v_m = t.get(V_M, i);
            if self.state.v[i] + e_l != v_m {
                self.state.v[i] = v_m - e_l;
            }
        }
        p.uniform = p.consts.windows(2).all(|w| w[0] == w[1]);
        if p.uniform {
            p.consts.truncate(1);
        }
        Ok(())
    }

    fn channels(&self) -> usize {
        4
    }

    fn route(&self, receptor: i64, kind: EventKind, weight: f64) -> Result<Route> {
        let channel = match (receptor, kind.is_spike()) {
            (0, true) => {
                if weight > 0.0 {
                    CH_SYN_EX
                } else {
                    CH_SYN_IN
                }
            }
            (0, false) => CH_I0,
            (1, false) => CH_I1,
            _ => {
                return Err(Error::new(
                    ErrorKind::UnknownReceptorType,
                    format!("Receptor type {receptor} is not available in {NAME}."),
                ))
            }
        };
        Ok(Route::weighted(channel))
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
            0 => self.state.i_syn_ex[i],
            1 => self.state.i_syn_in[i],
            _ => self.table.get(V_M, i),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nestor_kernel::model::LocalEvent;

    fn nodes(n: usize) -> Box<dyn Node> {
        match IafPscExp.instantiate(n) {
            Instance::Node(b) => b,
            Instance::Recorder(_) => panic!("iaf_psc_exp must instantiate nodes"),
        }
    }

    fn env(h: f64) -> Env {
        Env { resolution: h, now: 0, min_delay: 1, max_delay: 1 }
    }

    /// Drives `steps` updates; `input(t, ch)` is the input of channel `ch` at step t (node 0).
    /// Returns the recordables of node 0 after each step ([I_syn_ex, I_syn_in, V_m]) and the
    /// spike steps (t+1).
    fn run(nd: &mut Box<dyn Node>, h: f64, steps: i64, input: impl Fn(i64, usize) -> f64) -> (Vec<[f64; 3]>, Vec<i64>) {
        nd.prepare(&env(h)).unwrap();
        let n = nd.len();
        let mut data = vec![0.0; 4 * n];
        let mut ev: Vec<LocalEvent> = Vec::new();
        let (mut rec, mut spikes) = (Vec::new(), Vec::new());
        for t in 0..steps {
            for ch in 0..4 {
                data[ch * n] = input(t, ch);
            }
            ev.clear();
            nd.update(&StepCtx { t, h }, &Inputs::new(&data, n, 1, 0), &mut Emitter::new(&mut ev));
            spikes.extend(ev.iter().filter(|e| e.local == 0).map(|_| t + 1));
            rec.push([nd.read(0, 0), nd.read(1, 0), nd.read(2, 0)]);
        }
        (rec, spikes)
    }

    #[test]
    fn defaults_and_recordables_are_nest_s() {
        // Oracle: nest.GetDefaults('iaf_psc_exp') in NEST 3.10 (no V_min; rho and delta).
        let nd = nodes(1);
        let names: Vec<&str> = nd.table().specs().iter().map(|s| s.name).collect();
        assert!(!names.contains(&"V_min"));
        assert_eq!(nd.table().get(RHO, 0), 0.01);
        assert_eq!(nd.table().get(DELTA, 0), 0.0);
        assert_eq!(&nd.recordables()[..], &["I_syn_ex", "I_syn_in", "V_m"]);
        assert_eq!(nd.channels(), 4);
    }

    #[test]
    fn dc_response_matches_closed_form() {
        // Oracle: V(t) = E_L + R I (1 − e^{−t/τ_m}), R = τ_m / C_m.
        let mut nd = nodes(1);
        nd.table_mut().set(I_E, 0, 300.0); // R I = 12 mV < 15 mV
        let (rec, spikes) = run(&mut nd, 0.1, 2000, |_, _| 0.0);
        assert!(spikes.is_empty());
        for (k, x) in rec.iter().enumerate() {
            let t = (k + 1) as f64 * 0.1;
            let exact = -70.0 + 10.0 / 250.0 * 300.0 * (1.0 - (-t / 10.0).exp());
            assert!((x[2] - exact).abs() < 1e-12, "t = {t}");
        }
    }

    #[test]
    fn psp_matches_closed_form() {
        // Oracle: V − E_L = w/C · τ_s τ_m/(τ_m − τ_s) · (e^{−s/τ_m} − e^{−s/τ_s}), s = time since
        // the current jumped (the end of the arrival step); I_syn = w e^{−s/τ_s}.
        let (ts, tm, c, w) = (2.0_f64, 10.0_f64, 250.0_f64, 50.0_f64);
        for (ch, sign) in [(0usize, 1.0), (1usize, -1.0)] {
            let mut nd = nodes(1);
            let (rec, _) = run(&mut nd, 0.1, 500, |t, k| if t == 0 && k == ch { sign * w } else { 0.0 });
            for (k, x) in rec.iter().enumerate() {
                let s = k as f64 * 0.1;
                let v = sign * w / c * ts * tm / (tm - ts) * ((-s / tm).exp() - (-s / ts).exp());
                assert!((x[2] + 70.0 - v).abs() < 1e-12, "k = {k}");
                assert!((x[ch] - sign * w * (-s / ts).exp()).abs() < 1e-11, "k = {k}");
            }
        }
    }

    #[test]
    fn singular_tau_limit_is_continuous_and_exact() {
        // Oracle: for τ_s = τ_m the PSP is w/C · s · e^{−s/τ}; nearby τ_s give nearby traces.
        let w = 50.0;
        let mut traces = Vec::new();
        let eps = [0.0, 1e-9, -1e-9, 1e-12];
        for e in eps {
            let mut nd = nodes(1);
            nd.table_mut().set(TAU_SYN_EX, 0, 10.0 * (1.0 + e));
            let (rec, _) = run(&mut nd, 0.1, 500, |t, k| if t == 0 && k == 0 { w } else { 0.0 });
            traces.push(rec.iter().map(|x| x[2]).collect::<Vec<f64>>());
        }
        for (k, v) in traces[0].iter().enumerate() {
            let s = k as f64 * 0.1;
            assert!((v + 70.0 - w / 250.0 * s * (-s / 10.0).exp()).abs() < 1e-12);
        }
        for (tr, e) in traces[1..].iter().zip(&eps[1..]) {
            for (a, b) in traces[0].iter().zip(tr) {
                assert!((a - b).abs() < e.abs().max(1e-12), "eps {e}: {a} vs {b}");
            }
        }
    }

    #[test]
    fn receptor_1_current_is_filtered_into_i_syn_ex() {
        // Oracle: with I_1 constant from step 0, I_syn_ex(k) = I_1 (1 − e^{−k h/τ_ex}) at (k+1)h.
        let mut nd = nodes(1);
        let (rec, _) = run(&mut nd, 0.1, 300, |_, k| if k == 3 { 100.0 } else { 0.0 });
        for (k, x) in rec.iter().enumerate() {
            let exact = 100.0 * (1.0 - (-(k as f64) * 0.1 / 2.0).exp());
            assert!((x[0] - exact).abs() < 1e-11, "k = {k}: {} vs {exact}", x[0]);
        }
    }

    #[test]
    fn refractory_period_lasts_t_ref_in_steps() {
        for (t_ref, counts) in [(2.0, 20usize), (3.33, 34), (0.0, 0)] {
            let mut nd = nodes(1);
            nd.table_mut().set(I_E, 0, 2000.0);
            nd.table_mut().set(T_REF, 0, t_ref);
            let (rec, spikes) = run(&mut nd, 0.1, 300, |_, _| 0.0);
            let first = spikes[0] as usize;
            let clamped = rec[first - 1..].iter().take_while(|x| x[2] == -70.0).count();
            assert_eq!(clamped, counts + 1, "t_ref {t_ref}");
        }
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
        check(C_M, 0.0, "Capacitance must be strictly positive");
        check(TAU_M, -1.0, "Membrane and synapse time constants must be strictly positive");
        check(TAU_SYN_EX, 0.0, "Membrane and synapse time constants must be strictly positive");
        check(TAU_SYN_IN, 0.0, "Membrane and synapse time constants must be strictly positive");
        check(T_REF, -0.5, "Refractory time must not be negative");
        check(RHO, -1.0, "Stochastic firing intensity must not be negative");
        check(DELTA, -1.0, "Width of threshold region must not be negative");
        assert!(nd.validate(&base).is_ok());
    }

    #[test]
    fn stochastic_threshold_is_refused_at_prepare() {
        let mut nd = nodes(2);
        nd.table_mut().set(DELTA, 1, 0.5);
        let e = nd.prepare(&env(0.1)).unwrap_err();
        assert_eq!(e.kind, ErrorKind::KernelException);
        assert!(e.message.contains("delta"), "{}", e.message);
    }

    #[test]
    fn routing_follows_nest() {
        let nd = nodes(1);
        assert_eq!(nd.route(0, EventKind::Spike, 2.0).unwrap(), Route::weighted(CH_SYN_EX));
        assert_eq!(nd.route(0, EventKind::Spike, 0.0).unwrap(), Route::weighted(CH_SYN_IN));
        assert_eq!(nd.route(0, EventKind::PoissonDraw, -2.0).unwrap(), Route::weighted(CH_SYN_IN));
        assert_eq!(nd.route(0, EventKind::Current, 1.0).unwrap(), Route::weighted(CH_I0));
        assert_eq!(nd.route(1, EventKind::Current, 1.0).unwrap(), Route::weighted(CH_I1));
        assert_eq!(nd.route(1, EventKind::GaussianCurrentDraw, 1.0).unwrap(), Route::weighted(CH_I1));
        assert_eq!(nd.route(1, EventKind::Spike, 1.0).unwrap_err().kind, ErrorKind::UnknownReceptorType);
        assert_eq!(nd.route(2, EventKind::Current, 1.0).unwrap_err().kind, ErrorKind::UnknownReceptorType);
    }
}
