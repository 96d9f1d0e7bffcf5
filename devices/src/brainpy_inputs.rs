//! # BrainPy-style inputs (brainpy.state 0.1.0 `inputs.py`)
//!
//! Generators with brainpy.state's names and semantics. A population of `n` input nodes stands
//! for brainpy's `in_size = n`: node i feeds neuron i (connect `one_to_one`) or, for a scalar
//! input, any number of neurons.
//!
//! **Currents** (receptor 0 of BrainPy-family neurons; amplitudes in mA as brainpy's LIF family
//! takes them, sent as current events): `ConstantInput` (value, duration), `SectionInput`
//! (values, durations: piecewise constant from t = 0), `StepInput` (amplitudes, step_times: the
//! last step at or before t), `RampInput` (c_start, c_end, duration, t_start: linear inside
//! [t_start, t_start + duration)), `SinusoidalInput` (amplitude, frequency, duration, bias:
//! amplitude·sin(2π f t) + bias inside [0, duration)), `WienerProcessInput` (sigma, duration:
//! N(0, 1)·sigma·√dt per step), `OUProcessInput` (mean, sigma, tau, duration:
//! x ← x + (mean − x)·dt/τ + sigma·√dt·N(0, 1), starting at mean). Outside their window they send 0.
//!
//! **Spikes**: `SpikeTime` (indices, times, weights: node i spikes at step round(t/dt) for every
//! entry with index i, rounded half to even as brainpy's `time_as_step='round'`, carrying the
//! entry's weight as the spike's amplitude), `PoissonSpike` / `PoissonEncoder` (freqs in Hz: a spike per step with
//! probability 1 − exp(−f·dt); `PoissonEncoder` is meant to have its `freqs` set between runs),
//! `PoissonInput` (num_input n, freq f: per step and target, from that connection's own stream,
//! a count of n sources firing with p = 1 − exp(−f·dt) each, drawn as brainpy.state 0.1.0's
//! `poisson_input` does: with a = n·p and b = n·(1 − p), max(round(N(a, sqrt(a·(1 − p)))), 0)
//! when a > 5 and b > 5, else Binomial(n, p); mean n·p, variance n·p·(1 − p) (+ 1/12 in the
//! normal branch), not a Poisson count's n·p. Connect it to receptor 1 (delta) with the weight;
//! the recordable `I` is the mean n·p).
//!
//! **Timing**: brainpy evaluates an input at the time of the step that consumes it. nestor's
//! generator computes in its update of step t the value for step t + 1 and sends it with the
//! one-step delay, so a neuron sees at step k brainpy's value at t = k·dt — from step 1 on (a
//! constant input from step 0 is the neuron's `I_ext`). Random inputs draw from per-node
//! streams keyed by the kernel seed and the node id.

use nestor_kernel::model::{Emitter, Env, EventKind, Inputs, Instance, LocalEvent, Model, Node, NodeKind, StepCtx};
use nestor_kernel::rng::{stream, Purpose};
use nestor_kernel::schema::{index_of, unknown_key, ParamSpec, ParamTable};
use nestor_kernel::units::Unit;
use nestor_kernel::{Error, Result, Value};
use rand::RngExt;
use rand_distr::{Distribution, StandardNormal};
use rand_pcg::Pcg64Mcg;

/// pA per mA: currents travel in the kernel's unit (pA).
const PA_PER_MA: f64 = 1e9;

/// Which input a node chunk computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Constant,
    Section,
    Step,
    Ramp,
    Sinusoidal,
    Wiener,
    Ou,
    PoissonSpike,
    PoissonEncoder,
    SpikeTime,
    PoissonInput,
}

const INF: f64 = f64::INFINITY;

static CONSTANT: [ParamSpec; 2] = [
    ParamSpec::param("value", Unit::MilliAmpere, 0.0, "constant value"),
    ParamSpec::param("duration", Unit::Millisecond, INF, "active during [0, duration)"),
];
static SECTION: [ParamSpec; 0] = [];
static STEP: [ParamSpec; 0] = [];
static RAMP: [ParamSpec; 4] = [
    ParamSpec::param("c_start", Unit::MilliAmpere, 0.0, "value at t_start"),
    ParamSpec::param("c_end", Unit::MilliAmpere, 0.0, "value approached at t_start + duration"),
    ParamSpec::param("duration", Unit::Millisecond, 0.0, "length of the ramp"),
    ParamSpec::param("t_start", Unit::Millisecond, 0.0, "start of the ramp"),
];
static SINUSOIDAL: [ParamSpec; 4] = [
    ParamSpec::param("amplitude", Unit::MilliAmpere, 0.0, "amplitude"),
    ParamSpec::param("frequency", Unit::Hertz, 0.0, "frequency"),
    ParamSpec::param("duration", Unit::Millisecond, INF, "active during [0, duration)"),
    ParamSpec::param("bias", Unit::MilliAmpere, 0.0, "constant offset"),
];
static WIENER: [ParamSpec; 2] = [
    ParamSpec::param("sigma", Unit::MilliAmpere, 0.0, "noise scale per sqrt(ms)"),
    ParamSpec::param("duration", Unit::Millisecond, INF, "active during [0, duration)"),
];
static OU: [ParamSpec; 5] = [
    ParamSpec::param("mean", Unit::MilliAmpere, 0.0, "mean"),
    ParamSpec::param("sigma", Unit::MilliAmpere, 0.0, "noise scale per sqrt(ms)"),
    ParamSpec::param("tau", Unit::Millisecond, 10.0, "relaxation time constant"),
    ParamSpec::param("duration", Unit::Millisecond, INF, "active during [0, duration)"),
    ParamSpec::state("x", Unit::MilliAmpere, f64::NAN, "process value (NaN: starts at mean)"),
];
static POISSON: [ParamSpec; 1] = [ParamSpec::param("freqs", Unit::Hertz, 0.0, "firing rate")];
static SPIKE_TIME: [ParamSpec; 0] = [];
static POISSON_INPUT: [ParamSpec; 2] = [
    ParamSpec::param("num_input", Unit::Integer, 1.0, "number of independent Poisson sources"),
    ParamSpec::param("freq", Unit::Hertz, 0.0, "rate of each source"),
];

/// A BrainPy-style input model.
pub struct BpInput {
    name: &'static str,
    kind: Kind,
    doc: &'static str,
}

/// Every BrainPy-style input, for registration.
pub const ALL: [BpInput; 11] = [
    BpInput { name: "ConstantInput", kind: Kind::Constant, doc: "Constant current input (brainpy.state)" },
    BpInput { name: "SectionInput", kind: Kind::Section, doc: "Piecewise constant current input (brainpy.state)" },
    BpInput { name: "StepInput", kind: Kind::Step, doc: "Step-function current input (brainpy.state)" },
    BpInput { name: "RampInput", kind: Kind::Ramp, doc: "Linear ramp current input (brainpy.state)" },
    BpInput { name: "SinusoidalInput", kind: Kind::Sinusoidal, doc: "Sinusoidal current input (brainpy.state)" },
    BpInput { name: "WienerProcessInput", kind: Kind::Wiener, doc: "Wiener-process current input (brainpy.state)" },
    BpInput { name: "OUProcessInput", kind: Kind::Ou, doc: "Ornstein-Uhlenbeck current input (brainpy.state)" },
    BpInput { name: "PoissonSpike", kind: Kind::PoissonSpike, doc: "Poisson spike trains (brainpy.state)" },
    BpInput {
        name: "PoissonEncoder",
        kind: Kind::PoissonEncoder,
        doc: "Rate-to-Poisson spike encoder (brainpy.state)",
    },
    BpInput { name: "SpikeTime", kind: Kind::SpikeTime, doc: "Spikes at given times (brainpy.state)" },
    BpInput { name: "PoissonInput", kind: Kind::PoissonInput, doc: "Poisson input counts per step (brainpy.state)" },
];

impl Model for BpInput {
    fn name(&self) -> &'static str {
        self.name
    }
    fn kind(&self) -> NodeKind {
        NodeKind::Stimulator
    }
    fn doc(&self) -> &'static str {
        self.doc
    }
    fn instantiate(&self, n: usize) -> Instance {
        let specs: &'static [ParamSpec] = match self.kind {
            Kind::Constant => &CONSTANT,
            Kind::Section => &SECTION,
            Kind::Step => &STEP,
            Kind::Ramp => &RAMP,
            Kind::Sinusoidal => &SINUSOIDAL,
            Kind::Wiener => &WIENER,
            Kind::Ou => &OU,
            Kind::PoissonSpike | Kind::PoissonEncoder => &POISSON,
            Kind::SpikeTime => &SPIKE_TIME,
            Kind::PoissonInput => &POISSON_INPUT,
        };
        Instance::Node(Box::new(InputNodes {
            name: self.name,
            kind: self.kind,
            n,
            t: ParamTable::new(specs, n),
            a: vec![Vec::new(); n],
            b: vec![Vec::new(); n],
            w: vec![Vec::new(); n],
            rng: Vec::new(),
            steps: vec![Vec::new(); n],
            cursor: vec![0; n],
            dt: 0.1,
            last: vec![0.0; n],
        }))
    }
}

struct InputNodes {
    name: &'static str,
    kind: Kind,
    n: usize,
    t: ParamTable,
    /// Section: values; Step: amplitudes; SpikeTime: times (this node's).
    a: Vec<Vec<f64>>,
    /// Section: cumulative ends; Step: times (sorted).
    b: Vec<Vec<f64>>,
    /// SpikeTime: weights (this node's).
    w: Vec<Vec<f64>>,
    rng: Vec<Pcg64Mcg>,
    /// SpikeTime: emission steps (sorted) and the next one to send.
    steps: Vec<Vec<(i64, f64)>>,
    cursor: Vec<usize>,
    dt: f64,
    /// The value sent in the last step (recordable `I` / `spike`).
    last: Vec<f64>,
}

impl InputNodes {
    fn col(&self, name: &str) -> usize {
        index_of(self.t.specs(), name).unwrap_or(0)
    }

    /// The current (mA) of node k at time `t` ms (deterministic inputs).
    fn value(&self, k: usize, t: f64) -> f64 {
        let p = |name: &str| self.t.get(self.col(name), k);
        match self.kind {
            Kind::Constant if t < p("duration") => p("value"),
            Kind::Constant => 0.0,
            Kind::Section => {
                let ends = &self.b[k];
                let sec = ends.partition_point(|&e| e <= t);
                self.a[k].get(sec).copied().unwrap_or(0.0)
            }
            Kind::Step => {
                let idx = self.b[k].partition_point(|&x| x <= t);
                if idx == 0 {
                    0.0
                } else {
                    self.a[k][idx - 1]
                }
            }
            Kind::Ramp => {
                let (t0, d) = (p("t_start"), p("duration"));
                if t >= t0 && t < t0 + d {
                    let (c0, c1) = (p("c_start"), p("c_end"));
                    c0 + (c1 - c0) * ((t - t0) / d)
                } else {
                    0.0
                }
            }
            Kind::Sinusoidal => {
                let ts = t / 1000.0;
                if ts >= 0.0 && t < p("duration") {
                    p("amplitude") * (2.0 * std::f64::consts::PI * p("frequency") * ts).sin() + p("bias")
                } else {
                    0.0
                }
            }
            _ => 0.0,
        }
    }
}

fn array(v: &Value, key: &str, unit: Unit) -> Result<Vec<f64>> {
    v.as_f64_vec_in(unit, key)
}

impl Node for InputNodes {
    fn len(&self) -> usize {
        self.n
    }
    fn table(&self) -> &ParamTable {
        &self.t
    }
    fn table_mut(&mut self) -> &mut ParamTable {
        &mut self.t
    }
    fn validate(&self, row: &[f64]) -> Result<()> {
        for (s, &x) in self.t.specs().iter().zip(row) {
            let bad = match s.name {
                "duration" | "tau" => x < 0.0 || (s.name == "tau" && x == 0.0),
                "freqs" | "freq" | "sigma" | "num_input" => x < 0.0,
                _ => false,
            };
            if bad {
                return Err(Error::bad_property(format!(
                    "{}: {} must be {}, got {x}",
                    self.name,
                    s.name,
                    if s.name == "tau" { "positive" } else { "non-negative" }
                )));
            }
        }
        Ok(())
    }
    fn extra_keys(&self) -> &'static [&'static str] {
        match self.kind {
            Kind::Section => &["values", "durations"],
            Kind::Step => &["amplitudes", "step_times"],
            Kind::SpikeTime => &["indices", "times", "weights"],
            _ => &[],
        }
    }
    fn get_extra(&self, i: usize, d: &mut nestor_kernel::Dict) {
        match self.kind {
            Kind::Section => {
                d.insert("values".into(), Value::DoubleVec(self.a[i].clone()));
                let mut prev = 0.0;
                let durs = self.b[i]
                    .iter()
                    .map(|&e| {
                        let x = e - prev;
                        prev = e;
                        x
                    })
                    .collect();
                d.insert("durations".into(), Value::DoubleVec(durs));
            }
            Kind::Step => {
                d.insert("amplitudes".into(), Value::DoubleVec(self.a[i].clone()));
                d.insert("step_times".into(), Value::DoubleVec(self.b[i].clone()));
            }
            Kind::SpikeTime => {
                d.insert("times".into(), Value::DoubleVec(self.a[i].clone()));
                d.insert("weights".into(), Value::DoubleVec(self.w[i].clone()));
            }
            _ => {}
        }
    }
    fn set_extra(&mut self, i: usize, rest: &[(&str, &Value)], _row: &[f64], model: &str) -> Result<()> {
        let get = |k: &str| rest.iter().find(|(x, _)| *x == k).map(|(_, v)| *v);
        for (k, _) in rest {
            if !self.extra_keys().contains(k) {
                let mut known: Vec<&str> = self.t.specs().iter().map(|s| s.name).collect();
                known.extend(self.extra_keys());
                return Err(unknown_key(model, k, &known));
            }
        }
        match self.kind {
            Kind::Section | Kind::Step => {
                let (ka, kb) =
                    if self.kind == Kind::Section { ("values", "durations") } else { ("amplitudes", "step_times") };
                let a = match get(ka) {
                    Some(v) => array(v, ka, Unit::MilliAmpere)?,
                    None => self.a[i].clone(),
                };
                let mut b = match get(kb) {
                    Some(v) => array(v, kb, Unit::Millisecond)?,
                    None if self.kind == Kind::Section => {
                        let mut prev = 0.0;
                        self.b[i]
                            .iter()
                            .map(|&e| {
                                let x = e - prev;
                                prev = e;
                                x
                            })
                            .collect()
                    }
                    None => self.b[i].clone(),
                };
                if a.len() != b.len() {
                    return Err(Error::bad_property(format!(
                        "{model}: \"{ka}\" and \"{kb}\" must be the same length, got {} != {}",
                        a.len(),
                        b.len()
                    )));
                }
                let (mut a, mut b) = (a, std::mem::take(&mut b));
                if self.kind == Kind::Section {
                    if b.iter().any(|&d| d < 0.0) {
                        return Err(Error::bad_property(format!("{model}: durations must be non-negative")));
                    }
                    let mut acc = 0.0;
                    for d in &mut b {
                        acc += *d;
                        *d = acc;
                    }
                } else {
                    let mut idx: Vec<usize> = (0..b.len()).collect();
                    idx.sort_by(|&x, &y| b[x].total_cmp(&b[y]));
                    a = idx.iter().map(|&j| a[j]).collect();
                    b = idx.iter().map(|&j| b[j]).collect();
                }
                self.a[i] = a;
                self.b[i] = b;
            }
            Kind::SpikeTime => {
                let times = match get("times") {
                    Some(v) => array(v, "times", Unit::Millisecond)?,
                    None => {
                        return if rest.is_empty() {
                            Ok(())
                        } else {
                            Err(Error::bad_property(format!("{model}: needs /times")))
                        }
                    }
                };
                let indices = match get("indices") {
                    Some(v) => v.as_i64_vec("indices")?,
                    None => vec![i as i64; times.len()],
                };
                if indices.len() != times.len() {
                    return Err(Error::bad_property(format!(
                        "{model}: The length of \"indices\" and \"times\" must be the same. However, we got {} != {}.",
                        indices.len(),
                        times.len()
                    )));
                }
                let weights = match get("weights") {
                    Some(Value::Double(w)) => vec![*w; times.len()],
                    Some(Value::Int(w)) => vec![*w as f64; times.len()],
                    Some(v) => array(v, "weights", Unit::Dimensionless)?,
                    None => vec![1.0; times.len()],
                };
                if weights.len() != times.len() {
                    return Err(Error::bad_property(format!(
                        "{model}: Length of \"weights\" must match \"indices\"/\"times\". Got {} != {}.",
                        weights.len(),
                        times.len()
                    )));
                }
                let mut mine: Vec<(f64, f64)> = indices
                    .iter()
                    .zip(times.iter().zip(&weights))
                    .filter(|(&ix, _)| ix == i as i64)
                    .map(|(_, (&t, &w))| (t, w))
                    .collect();
                mine.sort_by(|x, y| x.0.total_cmp(&y.0));
                self.a[i] = mine.iter().map(|x| x.0).collect();
                self.w[i] = mine.iter().map(|x| x.1).collect();
            }
            _ => {}
        }
        Ok(())
    }
    fn seed_streams(&mut self, seed: u64, first_id: u32) {
        self.rng = (0..self.n).map(|k| stream(seed, Purpose::Node, (first_id as u64) + k as u64, 7)).collect();
    }
    fn prepare(&mut self, env: &Env) -> Result<()> {
        self.dt = env.resolution;
        if self.kind == Kind::SpikeTime {
            for k in 0..self.n {
                // brainpy rounds each time to its step with `jnp.round`, half to even (1.25 ms at
                // dt 0.1 is step 12, not 13); a spike for step s is sent in update s − 1.
                self.steps[k] = self.a[k]
                    .iter()
                    .zip(&self.w[k])
                    .map(|(&t, &w)| ((t / env.resolution).round_ties_even() as i64, w))
                    .collect();
                self.cursor[k] = self.steps[k].partition_point(|x| x.0 <= env.now);
            }
        }
        if self.kind == Kind::Ou {
            let (mean, x) = (self.col("mean"), self.col("x"));
            for k in 0..self.n {
                if self.t.get(x, k).is_nan() {
                    let m = self.t.get(mean, k);
                    self.t.set(x, k, m);
                }
            }
        }
        Ok(())
    }
    fn output(&self) -> Option<EventKind> {
        Some(match self.kind {
            Kind::PoissonSpike | Kind::PoissonEncoder | Kind::SpikeTime => EventKind::Spike,
            Kind::PoissonInput => EventKind::PoissonDraw,
            _ => EventKind::Current,
        })
    }
    fn update(&mut self, ctx: &StepCtx, _inputs: &Inputs<'_>, out: &mut Emitter<'_>) {
        let s = ctx.t + 1;
        let t = s as f64 * ctx.h;
        let dt = ctx.h;
        for k in 0..self.n {
            let v = match self.kind {
                Kind::Wiener => {
                    if t < self.t.get(self.col("duration"), k) {
                        let z: f64 = StandardNormal.sample(&mut self.rng[k]);
                        z * self.t.get(self.col("sigma"), k) * dt.sqrt()
                    } else {
                        0.0
                    }
                }
                Kind::Ou => {
                    let (mean, sigma, tau, xk) = (self.col("mean"), self.col("sigma"), self.col("tau"), self.col("x"));
                    if t < self.t.get(self.col("duration"), k) {
                        let x = self.t.get(xk, k);
                        let z: f64 = StandardNormal.sample(&mut self.rng[k]);
                        let m = self.t.get(mean, k);
                        let xn = x + (m - x) * (dt / self.t.get(tau, k)) + self.t.get(sigma, k) * dt.sqrt() * z;
                        self.t.set(xk, k, xn);
                        xn
                    } else {
                        0.0
                    }
                }
                Kind::PoissonSpike | Kind::PoissonEncoder => {
                    let p = -(-self.t.get(0, k) / 1000.0 * dt).exp_m1();
                    let u: f64 = self.rng[k].random();
                    if u <= p && p > 0.0 {
                        out.spike(k);
                        1.0
                    } else {
                        0.0
                    }
                }
                Kind::SpikeTime => {
                    let mut sent = 0.0;
                    while let Some(&(st, w)) = self.steps[k].get(self.cursor[k]) {
                        if st > s {
                            break;
                        }
                        if st == s {
                            out.spikes(k, 1, w);
                            sent += w;
                        }
                        self.cursor[k] += 1;
                    }
                    sent
                }
                Kind::PoissonInput => {
                    let n = self.t.get(0, k);
                    let p = -(-self.t.get(1, k) / 1000.0 * dt).exp_m1();
                    if n * p > 0.0 {
                        // b > 0 asks each connection for brainpy's count law (n sources of
                        // probability p) instead of a Poisson count of mean a.
                        out.emit(LocalEvent { local: k as u32, mult: 0, a: p, b: n });
                    }
                    n * p
                }
                _ => self.value(k, t),
            };
            self.last[k] = v;
            if matches!(
                self.kind,
                Kind::Constant | Kind::Section | Kind::Step | Kind::Ramp | Kind::Sinusoidal | Kind::Wiener | Kind::Ou
            ) && v != 0.0
            {
                out.emit(LocalEvent { local: k as u32, mult: 1, a: v * PA_PER_MA, b: 0.0 });
            }
        }
    }
    fn recordables(&self) -> std::borrow::Cow<'static, [&'static str]> {
        std::borrow::Cow::Borrowed(&["I"])
    }
    fn read(&self, _var: usize, i: usize) -> f64 {
        self.last[i]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nodes(m: &BpInput, n: usize) -> Box<dyn Node> {
        match m.instantiate(n) {
            Instance::Node(b) => b,
            Instance::Recorder(_) => unreachable!(),
        }
    }

    /// The current (mA) the node sends for step `s` (computed in update s − 1).
    fn sent(n: &mut dyn Node, s: i64) -> f64 {
        let mut ev = Vec::new();
        n.update(&StepCtx { t: s - 1, h: 0.1 }, &Inputs::new(&[], 1, 1, 0), &mut Emitter::new(&mut ev));
        ev.iter().map(|e| e.a / PA_PER_MA).sum()
    }

    #[test]
    fn step_and_section_follow_brainpy() {
        let env = Env { resolution: 0.1, now: 0, min_delay: 1, max_delay: 1 };
        let mut st = nodes(&ALL[2], 1);
        let amps = Value::DoubleVec(vec![2.0, 1.0]);
        let times = Value::DoubleVec(vec![10.0, 5.0]);
        st.set_extra(0, &[("amplitudes", &amps), ("step_times", &times)], &[], "StepInput").unwrap();
        st.prepare(&env).unwrap();
        assert_eq!(sent(st.as_mut(), 30), 0.0);
        assert_eq!(sent(st.as_mut(), 70), 1.0);
        assert_eq!(sent(st.as_mut(), 120), 2.0);

        let mut sec = nodes(&ALL[1], 1);
        let vals = Value::DoubleVec(vec![1.0, 3.0]);
        let durs = Value::DoubleVec(vec![5.0, 5.0]);
        sec.set_extra(0, &[("values", &vals), ("durations", &durs)], &[], "SectionInput").unwrap();
        sec.prepare(&env).unwrap();
        assert_eq!(sent(sec.as_mut(), 10), 1.0);
        assert_eq!(sent(sec.as_mut(), 60), 3.0);
        assert_eq!(sent(sec.as_mut(), 110), 0.0);
        let mut d = nestor_kernel::Dict::new();
        sec.get_extra(0, &mut d);
        assert_eq!(d.get("durations"), Some(&Value::DoubleVec(vec![5.0, 5.0])));
        let bad = Value::DoubleVec(vec![1.0]);
        assert!(sec.set_extra(0, &[("values", &bad)], &[], "SectionInput").is_err());
    }

    #[test]
    fn spike_time_rounds_half_to_even_as_brainpy() {
        // 0.25 ms and 1.25 ms are 2.5 and 12.5 steps at dt 0.1: brainpy's jnp.round gives 2 and
        // 12 (half to even), f64::round would give 3 and 13.
        let env = Env { resolution: 0.1, now: 0, min_delay: 1, max_delay: 1 };
        let mut st = nodes(&ALL[9], 1);
        let times = Value::DoubleVec(vec![1.25, 0.25, 0.35]);
        st.set_extra(0, &[("times", &times)], &[], "SpikeTime").unwrap();
        st.prepare(&env).unwrap();
        let mut ev = Vec::new();
        let mut steps = Vec::new();
        for t in 0..20 {
            ev.clear();
            st.update(&StepCtx { t, h: 0.1 }, &Inputs::new(&[], 1, 1, 0), &mut Emitter::new(&mut ev));
            steps.extend(ev.iter().map(|_| t + 1));
        }
        assert_eq!(steps, vec![2, 3, 12]);
    }

    #[test]
    fn ramp_and_sine() {
        let env = Env { resolution: 0.1, now: 0, min_delay: 1, max_delay: 1 };
        let mut r = nodes(&ALL[3], 1);
        for (k, x) in [(0, 1.0), (1, 3.0), (2, 10.0), (3, 5.0)] {
            r.table_mut().set(k, 0, x);
        }
        r.prepare(&env).unwrap();
        assert_eq!(sent(r.as_mut(), 40), 0.0);
        assert!((sent(r.as_mut(), 100) - 2.0).abs() < 1e-12);
        assert_eq!(sent(r.as_mut(), 150), 0.0);
    }
}
