//! Current generators: `dc_generator`, `ac_generator`, `step_current_generator`.
//!
//! All three send a current (pA) every step they are active; the target adds `weight × I`.
//! As in NEST, a current generator's activity is tested two steps ahead (`is_active(t + 2)`), so
//! that with the minimal delay the current acts on the target exactly inside (origin+start,
//! origin+stop]. Each has the recordable `I` (the current sent in the step).
//!
//! | name | unit | default | meaning |
//! |---|---|---|---|
//! | origin, start, stop | ms | 0, 0, ∞ | activity window (origin+start, origin+stop] |
//! | amplitude | pA | 0 | dc / ac amplitude |
//! | offset | pA | 0 | ac: constant offset |
//! | frequency | Hz | 0 | ac: frequency |
//! | phase | deg | 0 | ac: phase |
//! | amplitude_times / amplitude_values | ms / pA | [] | step_current: absolute change times and new amplitudes |
//! | allow_offgrid_times | bool | false | step_current: round off-grid times up to the grid |
//!
//! Reference: NEST 3.10 `models/dc_generator`, `ac_generator`, `step_current_generator`.
//! Sends: current events. Receives: nothing. See also: noise_generator.

use crate::activity::{validate_window, windows, Window, WINDOW_SPECS};
use nestor_kernel::model::{Emitter, Env, EventKind, Inputs, Instance, LocalEvent, Model, Node, NodeKind, StepCtx};
use nestor_kernel::schema::{unknown_key, ParamSpec, ParamTable};
use nestor_kernel::units::Unit;
use nestor_kernel::{Dict, Error, Result, Value};

// ------------------------------------------------------------------ dc_generator

static DC_SPECS: [ParamSpec; 4] = [
    WINDOW_SPECS[0],
    WINDOW_SPECS[1],
    WINDOW_SPECS[2],
    ParamSpec::param("amplitude", Unit::PicoAmpere, 0.0, "amplitude of the current"),
];

/// The `dc_generator` model.
pub struct DcGenerator;

impl Model for DcGenerator {
    fn name(&self) -> &'static str {
        "dc_generator"
    }
    fn kind(&self) -> NodeKind {
        NodeKind::Stimulator
    }
    fn doc(&self) -> &'static str {
        "constant current generator"
    }
    fn instantiate(&self, n: usize) -> Instance {
        Instance::Node(Box::new(DcNodes { t: ParamTable::new(&DC_SPECS, n), win: Vec::new(), i: vec![0.0; n] }))
    }
}

struct DcNodes {
    t: ParamTable,
    win: Vec<Window>,
    i: Vec<f64>,
}

impl Node for DcNodes {
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
    fn prepare(&mut self, env: &Env) -> Result<()> {
        self.win = windows(&self.t, env.resolution)?;
        Ok(())
    }
    fn output(&self) -> Option<EventKind> {
        Some(EventKind::Current)
    }
    fn update(&mut self, ctx: &StepCtx, _inputs: &Inputs<'_>, out: &mut Emitter<'_>) {
        let amp = self.t.col(3);
        for (k, (i, &a)) in self.i.iter_mut().zip(amp).enumerate() {
            *i = 0.0;
            if self.win[k].active(ctx.t + 2) {
                *i = a;
                out.emit(LocalEvent { local: k as u32, mult: 1, a, b: 0.0 });
            }
        }
    }
    fn recordables(&self) -> std::borrow::Cow<'static, [&'static str]> {
        std::borrow::Cow::Borrowed(&["I"])
    }
    fn read(&self, _var: usize, i: usize) -> f64 {
        self.i[i]
    }
}

// ------------------------------------------------------------------ ac_generator

static AC_SPECS: [ParamSpec; 9] = [
    WINDOW_SPECS[0],
    WINDOW_SPECS[1],
    WINDOW_SPECS[2],
    ParamSpec::param("amplitude", Unit::PicoAmpere, 0.0, "amplitude of the sine"),
    ParamSpec::param("offset", Unit::PicoAmpere, 0.0, "constant offset"),
    ParamSpec::param("frequency", Unit::Hertz, 0.0, "frequency"),
    ParamSpec::param("phase", Unit::Degree, 0.0, "phase in degrees"),
    ParamSpec::read_only("y_0", Unit::PicoAmpere, 0.0, "oscillator state (cosine part)"),
    ParamSpec::read_only("y_1", Unit::PicoAmpere, 0.0, "oscillator state (sine part)"),
];

/// The `ac_generator` model: I(t) = offset + amplitude · sin(2π f t + phase).
pub struct AcGenerator;

impl Model for AcGenerator {
    fn name(&self) -> &'static str {
        "ac_generator"
    }
    fn kind(&self) -> NodeKind {
        NodeKind::Stimulator
    }
    fn doc(&self) -> &'static str {
        "sinusoidal current generator"
    }
    fn instantiate(&self, n: usize) -> Instance {
        Instance::Node(Box::new(AcNodes {
            t: ParamTable::new(&AC_SPECS, n),
            win: Vec::new(),
            a: vec![[0.0; 4]; n],
            i: vec![0.0; n],
        }))
    }
}

struct AcNodes {
    t: ParamTable,
    win: Vec<Window>,
    /// Rotation matrix per node (A00, A01, A10, A11).
    a: Vec<[f64; 4]>,
    i: Vec<f64>,
}

impl Node for AcNodes {
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
    fn prepare(&mut self, env: &Env) -> Result<()> {
        let h = env.resolution;
        self.win = windows(&self.t, h)?;
        // The oscillator restarts from the exact phase at the current time on every run, as NEST.
        let t = nestor_kernel::kernel::step_to_ms(env.now, h);
        for k in 0..self.len() {
            let omega = 2.0 * std::f64::consts::PI * self.t.get(5, k) / 1000.0;
            let phi = self.t.get(6, k) * 2.0 * std::f64::consts::PI / 360.0;
            let amp = self.t.get(3, k);
            self.t.set(7, k, amp * (omega * t + phi).cos());
            self.t.set(8, k, amp * (omega * t + phi).sin());
            self.a[k] = [(omega * h).cos(), -(omega * h).sin(), (omega * h).sin(), (omega * h).cos()];
        }
        Ok(())
    }
    fn output(&self) -> Option<EventKind> {
        Some(EventKind::Current)
    }
    fn update(&mut self, ctx: &StepCtx, _inputs: &Inputs<'_>, out: &mut Emitter<'_>) {
        for k in 0..self.i.len() {
            let [a00, a01, a10, a11] = self.a[k];
            let y0 = self.t.get(7, k);
            let y1 = self.t.get(8, k);
            let n0 = a00 * y0 + a01 * y1;
            let n1 = a10 * y0 + a11 * y1;
            self.t.set(7, k, n0);
            self.t.set(8, k, n1);
            self.i[k] = 0.0;
            if self.win[k].active(ctx.t + 2) {
                let cur = n1 + self.t.get(4, k);
                self.i[k] = cur;
                out.emit(LocalEvent { local: k as u32, mult: 1, a: cur, b: 0.0 });
            }
        }
    }
    fn recordables(&self) -> std::borrow::Cow<'static, [&'static str]> {
        std::borrow::Cow::Borrowed(&["I"])
    }
    fn read(&self, _var: usize, i: usize) -> f64 {
        self.i[i]
    }
}

// ------------------------------------------------------------------ step_current_generator

static STEP_SPECS: [ParamSpec; 4] = [
    WINDOW_SPECS[0],
    WINDOW_SPECS[1],
    WINDOW_SPECS[2],
    ParamSpec::param("allow_offgrid_times", Unit::Bool, 0.0, "round off-grid amplitude times up to the grid"),
];

/// The `step_current_generator` model: piecewise constant current changing at absolute times.
pub struct StepCurrentGenerator;

impl Model for StepCurrentGenerator {
    fn name(&self) -> &'static str {
        "step_current_generator"
    }
    fn kind(&self) -> NodeKind {
        NodeKind::Stimulator
    }
    fn doc(&self) -> &'static str {
        "piecewise constant current generator"
    }
    fn instantiate(&self, n: usize) -> Instance {
        Instance::Node(Box::new(StepNodes {
            t: ParamTable::new(&STEP_SPECS, n),
            win: Vec::new(),
            times: vec![Vec::new(); n],
            values: vec![Vec::new(); n],
            stamps: vec![Vec::new(); n],
            idx: vec![0; n],
            amp: vec![0.0; n],
            i: vec![0.0; n],
        }))
    }
}

struct StepNodes {
    t: ParamTable,
    win: Vec<Window>,
    times: Vec<Vec<f64>>,
    values: Vec<Vec<f64>>,
    stamps: Vec<Vec<i64>>,
    idx: Vec<usize>,
    amp: Vec<f64>,
    i: Vec<f64>,
}

/// The step of time `t` (ms) on NEST's 1 µs tic grid: a time whose tics are a whole number of
/// steps is that step; an off-grid time belongs to the end of the step it lies in if `offgrid`,
/// else `None`.
pub(crate) fn grid_stamp(t: f64, h: f64, offgrid: bool) -> Option<i64> {
    let tics = (t * 1000.0).round() as i64;
    let tps = (h * 1000.0).round() as i64;
    if tics % tps == 0 {
        Some(tics / tps)
    } else if offgrid {
        Some(tics.div_euclid(tps) + 1)
    } else {
        None
    }
}

/// Converts a time in ms to a step stamp as NEST does: tics of 1 µs, on-grid required unless
/// `offgrid`, in which case it is moved up to the end of its step.
pub(crate) fn time_to_stamp(t: f64, h: f64, offgrid: bool, what: &str) -> Result<i64> {
    if let Some(s) = grid_stamp(t, h, offgrid) {
        return Ok(s);
    }
    Err(Error::bad_property(format!(
        "{what}: time {t} ms is not a multiple of the resolution {h} ms (set allow_offgrid_times to true to round it up)"
    )))
}

impl Node for StepNodes {
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
    fn extra_keys(&self) -> &'static [&'static str] {
        &["amplitude_times", "amplitude_values"]
    }
    fn get_extra(&self, i: usize, d: &mut Dict) {
        d.insert("amplitude_times".into(), Value::DoubleVec(self.times[i].clone()));
        d.insert("amplitude_values".into(), Value::DoubleVec(self.values[i].clone()));
    }
    fn set_extra(&mut self, i: usize, rest: &[(&str, &Value)], _row: &[f64], model: &str) -> Result<()> {
        let mut times = None;
        let mut values = None;
        for (k, v) in rest {
            match *k {
                "amplitude_times" => times = Some(v.as_f64_vec_in(Unit::Millisecond, k)?),
                "amplitude_values" => values = Some(v.as_f64_vec_in(Unit::PicoAmpere, k)?),
                other => {
                    return Err(unknown_key(
                        model,
                        other,
                        &["amplitude_times", "amplitude_values", "origin", "start", "stop", "allow_offgrid_times"],
                    ))
                }
            }
        }
        if times.is_some() != values.is_some() {
            return Err(Error::bad_property("amplitude_times and amplitude_values must be set together"));
        }
        if let (Some(t), Some(v)) = (times, values) {
            if t.len() != v.len() {
                return Err(Error::bad_property(format!(
                    "amplitude_times ({} elements) and amplitude_values ({} elements) must have the same size",
                    t.len(),
                    v.len()
                )));
            }
            for w in t.windows(2) {
                if w[1] <= w[0] {
                    return Err(Error::bad_property(format!(
                        "amplitude_times must be strictly increasing, got {} after {}",
                        w[1], w[0]
                    )));
                }
            }
            if let Some(&t0) = t.first() {
                if t0 <= 0.0 {
                    return Err(Error::bad_property(format!(
                        "amplitude can only be changed at strictly positive times, got {t0} ms"
                    )));
                }
            }
            self.times[i] = t;
            self.values[i] = v;
            self.idx[i] = 0;
        }
        Ok(())
    }
    fn prepare(&mut self, env: &Env) -> Result<()> {
        let h = env.resolution;
        self.win = windows(&self.t, h)?;
        for k in 0..self.len() {
            let off = self.t.get(3, k) != 0.0;
            let st: Vec<i64> = self.times[k]
                .iter()
                .map(|&t| time_to_stamp(t, h, off, "step_current_generator"))
                .collect::<Result<_>>()?;
            if st.windows(2).any(|w| w[1] <= w[0]) {
                return Err(Error::bad_property("step_current_generator: two amplitude times fall into the same step"));
            }
            self.stamps[k] = st;
        }
        Ok(())
    }
    fn output(&self) -> Option<EventKind> {
        Some(EventKind::Current)
    }
    fn update(&mut self, ctx: &StepCtx, _inputs: &Inputs<'_>, out: &mut Emitter<'_>) {
        let t = ctx.t;
        for k in 0..self.i.len() {
            let st = &self.stamps[k];
            // Times in the past are skipped; the amplitude changes one step ahead of its time.
            while self.idx[k] < st.len() && st[self.idx[k]] <= t {
                self.idx[k] += 1;
            }
            if self.idx[k] < st.len() && t + 1 == st[self.idx[k]] {
                self.amp[k] = self.values[k][self.idx[k]];
                self.idx[k] += 1;
            }
            self.i[k] = 0.0;
            if self.win[k].active(t + 2) {
                self.i[k] = self.amp[k];
                out.emit(LocalEvent { local: k as u32, mult: 1, a: self.amp[k], b: 0.0 });
            }
        }
    }
    fn recordables(&self) -> std::borrow::Cow<'static, [&'static str]> {
        std::borrow::Cow::Borrowed(&["I"])
    }
    fn read(&self, _var: usize, i: usize) -> f64 {
        self.i[i]
    }
}
