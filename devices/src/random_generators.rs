//! Generators that draw per target: `poisson_generator` and `noise_generator`.
//!
//! As in NEST, every target receives its own independent realisation. nestor draws it while
//! delivering, from a random stream keyed by (seed, generator, target) — never by thread — so
//! the result is identical for any number of threads (NEST's draws depend on the thread layout).
//!
//! poisson_generator: `rate` (Hz, default 0, must be ≥ 0); each active step, each target receives
//! a spike of multiplicity k ~ Poisson(rate · h / 1000) (nothing if k = 0). Active on steps t with
//! origin+start < t ≤ origin+stop; the spike is stamped t+1.
//!
//! noise_generator: `mean` (pA, 0), `std` (pA, 0), `std_mod` (pA, 0), `frequency` (Hz, 0), `phase`
//! (deg, 0), `dt` (ms, 1.0, a multiple of the resolution). Every `dt` each target's current is
//! redrawn as mean + sqrt(std² + sin(2πft + φ)·std_mod²) · N(0, 1) and held until the next draw.
//! It is a current generator (activity tested two steps ahead, as NEST). Its recordable `I` is the
//! average of the current amplitudes of its targets, as in NEST: the generator receives copies of
//! its connections' streams before each run and draws alongside them.
//!
//! Reference: NEST 3.10 `models/poisson_generator`, `models/noise_generator`.

use crate::activity::{validate_window, windows, Window, WINDOW_SPECS};
use nestor_kernel::model::{
    Emitter, Env, EventKind, Inputs, Instance, LocalEvent, Model, Node, NodeKind, Signal, StepCtx,
};
use nestor_kernel::schema::{ParamSpec, ParamTable};
use nestor_kernel::units::Unit;
use nestor_kernel::{Error, Result};

static POISSON_SPECS: [ParamSpec; 4] =
    [WINDOW_SPECS[0], WINDOW_SPECS[1], WINDOW_SPECS[2], ParamSpec::param("rate", Unit::Hertz, 0.0, "mean firing rate")];

/// The `poisson_generator` model.
pub struct PoissonGenerator;

impl Model for PoissonGenerator {
    fn name(&self) -> &'static str {
        "poisson_generator"
    }
    fn kind(&self) -> NodeKind {
        NodeKind::Stimulator
    }
    fn doc(&self) -> &'static str {
        "independent Poisson spike trains for each target"
    }
    fn instantiate(&self, n: usize) -> Instance {
        Instance::Node(Box::new(PoissonNodes {
            t: ParamTable::new(&POISSON_SPECS, n),
            win: Vec::new(),
            mean: vec![0.0; n],
        }))
    }
}

struct PoissonNodes {
    t: ParamTable,
    win: Vec<Window>,
    mean: Vec<f64>,
}

impl Node for PoissonNodes {
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
        validate_window(row)?;
        if !(row[3] >= 0.0) {
            return Err(Error::bad_property(format!(
                "poisson_generator: the rate cannot be negative, got {} Hz",
                row[3]
            )));
        }
        Ok(())
    }
    fn prepare(&mut self, env: &Env) -> Result<()> {
        self.win = windows(&self.t, env.resolution)?;
        for k in 0..self.len() {
            self.mean[k] = env.resolution * self.t.get(3, k) * 1e-3;
        }
        Ok(())
    }
    fn output(&self) -> Option<EventKind> {
        Some(EventKind::PoissonDraw)
    }
    fn update(&mut self, ctx: &StepCtx, _inputs: &Inputs<'_>, out: &mut Emitter<'_>) {
        for k in 0..self.mean.len() {
            if self.mean[k] > 0.0 && self.win[k].active(ctx.t) {
                out.emit(LocalEvent { local: k as u32, mult: 0, a: self.mean[k], b: 0.0 });
            }
        }
    }
}

static NOISE_SPECS: [ParamSpec; 11] = [
    WINDOW_SPECS[0],
    WINDOW_SPECS[1],
    WINDOW_SPECS[2],
    ParamSpec::param("mean", Unit::PicoAmpere, 0.0, "mean current"),
    ParamSpec::param("std", Unit::PicoAmpere, 0.0, "standard deviation of the noise"),
    ParamSpec::param("std_mod", Unit::PicoAmpere, 0.0, "modulation of the standard deviation"),
    ParamSpec::param("frequency", Unit::Hertz, 0.0, "frequency of the modulation"),
    ParamSpec::param("phase", Unit::Degree, 0.0, "phase of the modulation"),
    ParamSpec::param("dt", Unit::Millisecond, 1.0, "interval between draws"),
    ParamSpec::read_only("y_0", Unit::Dimensionless, 0.0, "modulation oscillator (cosine part)"),
    ParamSpec::read_only("y_1", Unit::Dimensionless, 0.0, "modulation oscillator (sine part)"),
];

/// The `noise_generator` model.
pub struct NoiseGenerator;

impl Model for NoiseGenerator {
    fn name(&self) -> &'static str {
        "noise_generator"
    }
    fn kind(&self) -> NodeKind {
        NodeKind::Stimulator
    }
    fn doc(&self) -> &'static str {
        "Gaussian white-noise current, independent for each target"
    }
    fn instantiate(&self, n: usize) -> Instance {
        Instance::Node(Box::new(NoiseNodes {
            t: ParamTable::new(&NOISE_SPECS, n),
            win: Vec::new(),
            a: vec![[0.0; 4]; n],
            dt_steps: vec![1; n],
            next: vec![0; n],
            i: vec![0.0; n],
            streams: vec![Vec::new(); n],
            amps: vec![Vec::new(); n],
        }))
    }
}

struct NoiseNodes {
    t: ParamTable,
    win: Vec<Window>,
    a: Vec<[f64; 4]>,
    dt_steps: Vec<i64>,
    next: Vec<i64>,
    i: Vec<f64>,
    /// Copies of the targets' streams, advanced in step with the connections.
    streams: Vec<Vec<rand_pcg::Pcg64Mcg>>,
    /// Current amplitude of each target.
    amps: Vec<Vec<f64>>,
}

impl Node for NoiseNodes {
    fn observe_target_streams(&mut self, local: usize, streams: Vec<rand_pcg::Pcg64Mcg>) {
        if self.amps[local].len() != streams.len() {
            self.amps[local] = vec![0.0; streams.len()];
        }
        self.streams[local] = streams;
    }
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
        validate_window(row)?;
        if !(row[4] >= 0.0) {
            return Err(Error::bad_property(format!("noise_generator: std must be >= 0, got {}", row[4])));
        }
        if !(row[5] >= 0.0) || row[5] > row[4] {
            return Err(Error::bad_property(format!("noise_generator: std_mod must be in [0, std], got {}", row[5])));
        }
        if !(row[8] > 0.0) {
            return Err(Error::bad_property(format!("noise_generator: dt must be > 0, got {}", row[8])));
        }
        Ok(())
    }
    fn prepare(&mut self, env: &Env) -> Result<()> {
        let h = env.resolution;
        self.win = windows(&self.t, h)?;
        let t = nestor_kernel::kernel::step_to_ms(env.now, h);
        for k in 0..self.len() {
            let dt = self.t.get(8, k);
            let steps = (dt / h).round();
            if steps < 1.0 || (steps * h - dt).abs() > 1e-9 * dt.max(1.0) {
                return Err(Error::bad_property(format!(
                    "noise_generator: dt ({dt} ms) must be a multiple of the resolution {h} ms"
                )));
            }
            self.dt_steps[k] = steps as i64;
            let omega = 2.0 * std::f64::consts::PI * self.t.get(6, k) / 1000.0;
            let phi = self.t.get(7, k) * 2.0 * std::f64::consts::PI / 360.0;
            self.t.set(9, k, (omega * t + phi).cos());
            self.t.set(10, k, (omega * t + phi).sin());
            self.a[k] = [(omega * h).cos(), -(omega * h).sin(), (omega * h).sin(), (omega * h).cos()];
        }
        Ok(())
    }
    fn output(&self) -> Option<EventKind> {
        Some(EventKind::GaussianCurrentDraw)
    }
    // NEST: a noise_generator may drive binary neurons too.
    fn sends_signal(&self) -> Signal {
        Signal::ALL
    }
    fn update(&mut self, ctx: &StepCtx, _inputs: &Inputs<'_>, out: &mut Emitter<'_>) {
        let now = ctx.t;
        for k in 0..self.i.len() {
            self.i[k] = 0.0;
            if !self.win[k].active(now + 2) {
                continue;
            }
            let std_mod = self.t.get(5, k);
            if std_mod != 0.0 {
                let [a00, a01, a10, a11] = self.a[k];
                let (y0, y1) = (self.t.get(9, k), self.t.get(10, k));
                self.t.set(9, k, a00 * y0 + a01 * y1);
                self.t.set(10, k, a10 * y0 + a11 * y1);
            }
            let redraw = now >= self.next[k];
            if redraw {
                self.next[k] = now + self.dt_steps[k];
            }
            let std = self.t.get(4, k);
            let sigma = (std * std + self.t.get(10, k) * std_mod * std_mod).max(0.0).sqrt();
            let mean = self.t.get(3, k);
            if redraw {
                for (amp, rng) in self.amps[k].iter_mut().zip(self.streams[k].iter_mut()) {
                    *amp = mean + sigma * nestor_kernel::conn::standard_normal(rng);
                }
            }
            let n = self.amps[k].len();
            self.i[k] = if n == 0 { 0.0 } else { self.amps[k].iter().sum::<f64>() / n as f64 };
            out.emit(LocalEvent { local: k as u32, mult: u32::from(redraw), a: mean, b: sigma });
        }
    }
    fn recordables(&self) -> std::borrow::Cow<'static, [&'static str]> {
        std::borrow::Cow::Borrowed(&["I"])
    }
    fn read(&self, _var: usize, i: usize) -> f64 {
        self.i[i]
    }
}
