//! Poisson generators with a rate that changes in time: `sinusoidal_poisson_generator` and
//! `inhomogeneous_poisson_generator` (NEST 3.10).
//!
//! Both send, on each active step t (origin+start < t ≤ origin+stop) with a positive rate λ(t),
//! every target its own spike count k ~ Poisson(λ(t)·h) (nothing for k = 0), drawn while
//! delivering from the (generator, target) stream, as `poisson_generator` does — so the result
//! does not depend on threads. A spike is stamped t+1.
//!
//! ## sinusoidal_poisson_generator
//!
//! | parameter | unit | default | meaning |
//! |---|---|---|---|
//! | `rate` | spikes/s | 0 | mean rate r |
//! | `amplitude` | spikes/s | 0 | modulation amplitude A |
//! | `frequency` | Hz | 0 | modulation frequency f |
//! | `phase` | deg | 0 | phase φ at t = 0 |
//! | `individual_spike_trains` | bool | true | one train per target (false: one train, the same spikes to all targets) |
//!
//! λ(t) = max(0, r + A sin(2πf·t + φ)), evaluated for the step's end t+h as NEST does: the
//! oscillator (`y_0` = A cos, `y_1` = A sin) is set from the time at the start of each run and
//! rotated once per step before the rate is read, also while the generator is inactive.
//! `individual_spike_trains` can only be set with SetDefaults or CopyModel (NEST's error
//! otherwise). With false the generator draws k from its own stream (keyed by seed and node id)
//! and sends one spike of multiplicity k to all targets. Recordable: `rate` (spikes/s).
//!
//! ## inhomogeneous_poisson_generator
//!
//! | parameter | unit | default | meaning |
//! |---|---|---|---|
//! | `rate_times` | ms | [] | times at which the rate changes |
//! | `rate_values` | spikes/s | [] | the rate from each of those times on |
//! | `allow_offgrid_times` | bool | false | round a time that is not on the grid up to the end of its step |
//!
//! The rate is 0 before the first time; the value for time T acts from the step that ends at T
//! (NEST changes it one step ahead). Times and values are set together (same length, times
//! strictly increasing on the grid and strictly after the current time); `allow_offgrid_times`
//! changes only together with new times or while none are set — NEST's checks and messages.
//!
//! Reference: NEST 3.10 `models/sinusoidal_poisson_generator`,
//! `models/inhomogeneous_poisson_generator`.

use crate::activity::{validate_window, windows, Window, WINDOW_SPECS};
use crate::current_generators::grid_stamp;
use nestor_kernel::conn::PoissonTable;
use nestor_kernel::model::{Emitter, Env, EventKind, Inputs, Instance, LocalEvent, Model, Node, NodeKind, StepCtx};
use nestor_kernel::rng::{stream, Purpose};
use nestor_kernel::schema::{unknown_key, ParamSpec, ParamTable};
use nestor_kernel::units::Unit;
use nestor_kernel::{Dict, Error, Result, Value};
use rand_pcg::Pcg64Mcg;

/// Key of a generator's own stream (`rng::stream(seed, Purpose::Node, id, GENERATOR_STREAM)`).
const GENERATOR_STREAM: u64 = 9;

// ------------------------------------------------------------------ sinusoidal_poisson_generator

const RATE: usize = 3;
const AMPLITUDE: usize = 4;
const FREQUENCY: usize = 5;
const PHASE: usize = 6;
const INDIVIDUAL: usize = 7;
const Y_0: usize = 8;
const Y_1: usize = 9;

static SINUSOIDAL_SPECS: [ParamSpec; 10] = [
    WINDOW_SPECS[0],
    WINDOW_SPECS[1],
    WINDOW_SPECS[2],
    ParamSpec::param("rate", Unit::Hertz, 0.0, "mean rate"),
    ParamSpec::param("amplitude", Unit::Hertz, 0.0, "modulation amplitude"),
    ParamSpec::param("frequency", Unit::Hertz, 0.0, "modulation frequency"),
    ParamSpec::param("phase", Unit::Degree, 0.0, "modulation phase at t = 0"),
    ParamSpec::param("individual_spike_trains", Unit::Bool, 1.0, "one spike train per target"),
    ParamSpec::read_only("y_0", Unit::Dimensionless, 0.0, "oscillator (cosine part), spikes/ms"),
    ParamSpec::read_only("y_1", Unit::Dimensionless, 0.0, "oscillator (sine part), spikes/ms"),
];

/// The `sinusoidal_poisson_generator` model.
pub struct SinusoidalPoissonGenerator;

impl Model for SinusoidalPoissonGenerator {
    fn name(&self) -> &'static str {
        "sinusoidal_poisson_generator"
    }
    fn kind(&self) -> NodeKind {
        NodeKind::Stimulator
    }
    fn doc(&self) -> &'static str {
        "Poisson spike trains with a sinusoidally modulated rate"
    }
    fn instantiate(&self, n: usize) -> Instance {
        Instance::Node(Box::new(SinusoidalNodes {
            t: ParamTable::new(&SINUSOIDAL_SPECS, n),
            win: Vec::new(),
            rot: Vec::new(),
            rate: vec![0.0; n],
            h: 0.1,
            rng: Vec::new(),
        }))
    }
}

struct SinusoidalNodes {
    t: ParamTable,
    win: Vec<Window>,
    /// Per node: sin and cos of one step's phase advance.
    rot: Vec<(f64, f64)>,
    /// λ of the last step, spikes/ms.
    rate: Vec<f64>,
    h: f64,
    rng: Vec<Pcg64Mcg>,
}

impl Node for SinusoidalNodes {
    fn len(&self) -> usize {
        self.t.len()
    }
    fn table(&self) -> &ParamTable {
        &self.t
    }
    fn table_mut(&mut self) -> &mut ParamTable {
        &mut self.t
    }
    fn validate(&self, row: &[f64]) -> Result<()> {
        validate_window(row)
    }
    fn defaults_only(&self) -> &'static [&'static str] {
        &["individual_spike_trains"]
    }
    fn seed_streams(&mut self, seed: u64, first_id: u32) {
        self.rng = (0..self.len())
            .map(|k| stream(seed, Purpose::Node, first_id as u64 + k as u64, GENERATOR_STREAM))
            .collect();
    }
    fn prepare(&mut self, env: &Env) -> Result<()> {
        let h = env.resolution;
        self.h = h;
        self.win = windows(&self.t, h)?;
        // NEST sets the oscillator from the time at the start of every run.
        let t = env.now as f64 * h;
        self.rot.clear();
        for k in 0..self.len() {
            let om = self.t.get(FREQUENCY, k) * (2.0 * std::f64::consts::PI / 1000.0);
            let phi = self.t.get(PHASE, k) * (std::f64::consts::PI / 180.0);
            let amp = self.t.get(AMPLITUDE, k) / 1000.0;
            self.t.set(Y_0, k, amp * (om * t + phi).cos());
            self.t.set(Y_1, k, amp * (om * t + phi).sin());
            self.rot.push(((h * om).sin(), (h * om).cos()));
        }
        Ok(())
    }
    fn output(&self) -> Option<EventKind> {
        // individual_spike_trains is a model default, the same for every node of a chunk.
        if self.len() > 0 && self.t.get(INDIVIDUAL, 0) == 0.0 {
            Some(EventKind::Spike)
        } else {
            Some(EventKind::PoissonDraw)
        }
    }
    fn update(&mut self, ctx: &StepCtx, _inputs: &Inputs<'_>, out: &mut Emitter<'_>) {
        for k in 0..self.rate.len() {
            let (sin, cos) = self.rot[k];
            let (y0, y1) = (self.t.get(Y_0, k), self.t.get(Y_1, k));
            let new_y0 = cos * y0 - sin * y1;
            let y1 = sin * y0 + cos * y1;
            self.t.set(Y_0, k, new_y0);
            self.t.set(Y_1, k, y1);
            let rate = (self.t.get(RATE, k) / 1000.0 + y1).max(0.0);
            self.rate[k] = rate;
            if rate > 0.0 && self.win[k].active(ctx.t) {
                let mean = rate * self.h;
                if self.t.get(INDIVIDUAL, k) != 0.0 {
                    out.emit(LocalEvent { local: k as u32, mult: 0, a: mean, b: 0.0 });
                } else if let Some(rng) = self.rng.get_mut(k) {
                    let n = PoissonTable::new(mean).sample(rng);
                    if n > 0 {
                        out.spikes(k, n.min(u32::MAX as u64) as u32, 1.0);
                    }
                }
            }
        }
    }
    fn recordables(&self) -> std::borrow::Cow<'static, [&'static str]> {
        std::borrow::Cow::Borrowed(&["rate"])
    }
    fn read(&self, _var: usize, i: usize) -> f64 {
        self.rate[i] * 1000.0
    }
}

// ------------------------------------------------------------------ inhomogeneous_poisson_generator

const OFFGRID: usize = 3;

static INHOMOGENEOUS_SPECS: [ParamSpec; 4] = [
    WINDOW_SPECS[0],
    WINDOW_SPECS[1],
    WINDOW_SPECS[2],
    ParamSpec::param("allow_offgrid_times", Unit::Bool, 0.0, "round off-grid rate times up to the grid"),
];

/// The `inhomogeneous_poisson_generator` model.
pub struct InhomogeneousPoissonGenerator;

impl Model for InhomogeneousPoissonGenerator {
    fn name(&self) -> &'static str {
        "inhomogeneous_poisson_generator"
    }
    fn kind(&self) -> NodeKind {
        NodeKind::Stimulator
    }
    fn doc(&self) -> &'static str {
        "Poisson spike trains with a piecewise constant rate"
    }
    fn instantiate(&self, n: usize) -> Instance {
        Instance::Node(Box::new(InhomogeneousNodes {
            t: ParamTable::new(&INHOMOGENEOUS_SPECS, n),
            win: Vec::new(),
            stamps: vec![Vec::new(); n],
            values: vec![Vec::new(); n],
            idx: vec![0; n],
            rate: vec![0.0; n],
            h: 0.1,
            now: 0,
        }))
    }
}

struct InhomogeneousNodes {
    t: ParamTable,
    win: Vec<Window>,
    /// Rate times as steps (on the grid, strictly increasing).
    stamps: Vec<Vec<i64>>,
    /// Rates, spikes/s.
    values: Vec<Vec<f64>>,
    idx: Vec<usize>,
    /// Current rate, spikes/ms.
    rate: Vec<f64>,
    h: f64,
    /// The current time in steps (the end of the last step taken).
    now: i64,
}

impl InhomogeneousNodes {
    /// NEST's conversion of a rate time: strictly in the future, on the grid or (with
    /// `offgrid`) moved to the end of its step.
    fn stamp(&self, t: f64, offgrid: bool) -> Result<i64> {
        if t <= self.now as f64 * self.h {
            return Err(Error::bad_property(format!(
                "Time points must lie strictly in the future (got {t} ms, the time is {} ms).",
                self.now as f64 * self.h
            )));
        }
        grid_stamp(t, self.h, offgrid).ok_or_else(|| {
            Error::bad_property(format!(
                "inhomogeneous_poisson_generator: Time point {t} is not representable in current resolution."
            ))
        })
    }
}

impl Node for InhomogeneousNodes {
    fn len(&self) -> usize {
        self.t.len()
    }
    fn table(&self) -> &ParamTable {
        &self.t
    }
    fn table_mut(&mut self) -> &mut ParamTable {
        &mut self.t
    }
    fn validate(&self, row: &[f64]) -> Result<()> {
        validate_window(row)
    }
    fn set_resolution(&mut self, h: f64) {
        self.h = h;
    }
    fn extra_keys(&self) -> &'static [&'static str] {
        &["rate_times", "rate_values"]
    }
    fn get_extra(&self, i: usize, d: &mut Dict) {
        let times = self.stamps[i].iter().map(|&s| s as f64 * self.h).collect();
        d.insert("rate_times".into(), Value::DoubleVec(times));
        d.insert("rate_values".into(), Value::DoubleVec(self.values[i].clone()));
    }
    fn set_extra(&mut self, i: usize, rest: &[(&str, &Value)], row: &[f64], model: &str) -> Result<()> {
        let (mut times, mut values) = (None, None);
        for (k, v) in rest {
            match *k {
                "rate_times" => times = Some(v.as_f64_vec_in(Unit::Millisecond, k)?),
                "rate_values" => values = Some(v.as_f64_vec_in(Unit::Hertz, k)?),
                other => {
                    return Err(unknown_key(
                        model,
                        other,
                        &["rate_times", "rate_values", "origin", "start", "stop", "allow_offgrid_times"],
                    ))
                }
            }
        }
        let offgrid = row[OFFGRID] != 0.0;
        if offgrid != (self.t.get(OFFGRID, i) != 0.0) && times.is_none() && !self.stamps[i].is_empty() {
            return Err(Error::bad_property(
                "Option can only be set together with rate times or if no rate times have been set.",
            ));
        }
        let (times, values) = match (times, values) {
            (None, None) => return Ok(()),
            (Some(t), Some(v)) => (t, v),
            _ => return Err(Error::bad_property("Rate times and values must be reset together.")),
        };
        if times.is_empty() {
            // NEST keeps the old schedule when the new times are empty.
            return Ok(());
        }
        if times.len() != values.len() {
            return Err(Error::bad_property(format!(
                "Rate times and values have to be the same size (got {} times and {} values).",
                times.len(),
                values.len()
            )));
        }
        let mut stamps = Vec::with_capacity(times.len());
        for &t in &times {
            let s = self.stamp(t, offgrid)?;
            if stamps.last().is_some_and(|&prev| prev >= s) {
                return Err(Error::bad_property(format!(
                    "Rate times must be strictly increasing (got {t} ms after {} ms).",
                    stamps.last().map_or(0.0, |&p: &i64| p as f64 * self.h)
                )));
            }
            stamps.push(s);
        }
        self.stamps[i] = stamps;
        self.values[i] = values;
        self.idx[i] = 0;
        Ok(())
    }
    fn prepare(&mut self, env: &Env) -> Result<()> {
        self.h = env.resolution;
        self.now = env.now;
        self.win = windows(&self.t, env.resolution)?;
        Ok(())
    }
    fn output(&self) -> Option<EventKind> {
        Some(EventKind::PoissonDraw)
    }
    fn update(&mut self, ctx: &StepCtx, _inputs: &Inputs<'_>, out: &mut Emitter<'_>) {
        let t = ctx.t;
        for k in 0..self.rate.len() {
            let st = &self.stamps[k];
            // Times in the past are skipped; the rate changes one step ahead of its time.
            while self.idx[k] < st.len() && st[self.idx[k]] <= t {
                self.idx[k] += 1;
            }
            if self.idx[k] < st.len() && t + 1 == st[self.idx[k]] {
                self.rate[k] = self.values[k][self.idx[k]] / 1000.0;
                self.idx[k] += 1;
            }
            if self.rate[k] > 0.0 && self.win[k].active(t) {
                out.emit(LocalEvent { local: k as u32, mult: 0, a: self.rate[k] * ctx.h, b: 0.0 });
            }
        }
        self.now = t + 1;
    }
}
