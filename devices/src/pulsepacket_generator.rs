//! `pulsepacket_generator`: packets of spikes with Gaussian-distributed times around given pulse
//! times (NEST 3.10).
//!
//! | parameter | unit | default | meaning |
//! |---|---|---|---|
//! | `pulse_times` | ms | [] | centres of the packets (sorted when set) |
//! | `activity` | — | 0 | spikes per packet (an integer ≥ 0) |
//! | `sdev` | ms | 0 | standard deviation of the spike times in a packet (≥ 0) |
//!
//! Every target receives the same spikes (one realisation per generator, drawn from the
//! generator's own stream, keyed by seed and node id). As NEST does it, work is done per
//! min-delay slice starting at T: nothing happens in a slice whose start T is outside the
//! activity window (origin+start, origin+stop]; the packets whose centre lies at most
//! `sdev`·10 ms after T (1 ms when `sdev` is 0) are drawn at the slice start — `activity` times
//! x ~ N(centre, sdev²), each kept if x ≥ T; a kept x falls into the step ⌈x/h⌉ (on NEST's 1 µs
//! tic grid) and is sent from that step, so it is recorded at (⌈x/h⌉ + 1)·h; spikes of one step
//! form one event of that multiplicity. Packets more than that tolerance before the time at the
//! start of a run are skipped. Setting any parameter discards the spikes drawn but not sent.
//! Errors (NEST's): `The activity cannot be negative.`, `The standard deviation cannot be
//! negative.`
//!
//! Reference: NEST 3.10 `models/pulsepacket_generator`.

use crate::activity::{validate_window, windows, Window, WINDOW_SPECS};
use nestor_kernel::conn::standard_normal;
use nestor_kernel::model::{Emitter, Env, EventKind, Inputs, Instance, Model, Node, NodeKind, StepCtx};
use nestor_kernel::rng::{stream, Purpose};
use nestor_kernel::schema::{unknown_key, ParamSpec, ParamTable};
use nestor_kernel::units::Unit;
use nestor_kernel::{Dict, Error, Result, Value};
use rand_pcg::Pcg64Mcg;
use std::collections::VecDeque;

const ACTIVITY: usize = 3;
const SDEV: usize = 4;
/// NEST's `sdev_tolerance`: packets are drawn this many standard deviations ahead.
const SDEV_TOLERANCE: f64 = 10.0;
/// Key of the generator's own stream (`rng::stream(seed, Purpose::Node, id, PACKET_STREAM)`).
const PACKET_STREAM: u64 = 10;

static SPECS: [ParamSpec; 5] = [
    WINDOW_SPECS[0],
    WINDOW_SPECS[1],
    WINDOW_SPECS[2],
    ParamSpec::param("activity", Unit::Integer, 0.0, "spikes per pulse packet"),
    ParamSpec::param("sdev", Unit::Millisecond, 0.0, "standard deviation of the spike times in a packet"),
];

/// The `pulsepacket_generator` model.
pub struct PulsepacketGenerator;

impl Model for PulsepacketGenerator {
    fn name(&self) -> &'static str {
        "pulsepacket_generator"
    }
    fn kind(&self) -> NodeKind {
        NodeKind::Stimulator
    }
    fn doc(&self) -> &'static str {
        "packets of Gaussian-distributed spikes around given times"
    }
    fn instantiate(&self, n: usize) -> Instance {
        Instance::Node(Box::new(PacketNodes {
            t: ParamTable::new(&SPECS, n),
            win: Vec::new(),
            pulses: vec![Vec::new(); n],
            pending: vec![VecDeque::new(); n],
            start_idx: vec![0; n],
            stop_idx: vec![0; n],
            slice_active: vec![false; n],
            rng: Vec::new(),
            h: 0.1,
            first: 0,
            min_delay: 1,
        }))
    }
}

struct PacketNodes {
    t: ParamTable,
    win: Vec<Window>,
    /// Pulse centres (ms), sorted.
    pulses: Vec<Vec<f64>>,
    /// Steps of the spikes drawn and not yet sent, sorted.
    pending: Vec<VecDeque<i64>>,
    /// Pulses [start_idx, stop_idx) are due to be drawn.
    start_idx: Vec<usize>,
    stop_idx: Vec<usize>,
    /// Whether the current slice is active.
    slice_active: Vec<bool>,
    rng: Vec<Pcg64Mcg>,
    h: f64,
    /// First step of the current run and the slice length (steps).
    first: i64,
    min_delay: i64,
}

/// NEST's `Time::ms(x)` in tics of 1 µs.
fn tics(x: f64) -> i64 {
    (x * 1000.0 + 0.5) as i64
}

impl PacketNodes {
    fn tolerance(&self, k: usize) -> f64 {
        let sdev = self.t.get(SDEV, k);
        if sdev > 0.0 {
            sdev * SDEV_TOLERANCE
        } else {
            1.0
        }
    }

    /// The work NEST does at the start of a slice beginning at step `t0`.
    fn slice_start(&mut self, k: usize, t0: i64) {
        self.slice_active[k] = false;
        if (self.start_idx[k] == self.pulses[k].len() && self.pending[k].is_empty()) || !self.win[k].active(t0) {
            return;
        }
        self.slice_active[k] = true;
        let tps = ((self.h * 1000.0).round() as i64).max(1);
        let t0_tics = t0 * tps;
        let tol = self.tolerance(k);
        let p = &self.pulses[k];
        while self.stop_idx[k] < p.len() && (tics(p[self.stop_idx[k]]) - t0_tics) as f64 * 1e-3 <= tol {
            self.stop_idx[k] += 1;
        }
        if self.start_idx[k] >= self.stop_idx[k] {
            return;
        }
        let (activity, sdev) = (self.t.get(ACTIVITY, k) as i64, self.t.get(SDEV, k));
        let Some(rng) = self.rng.get_mut(k) else { return };
        let mut drawn = Vec::new();
        while self.start_idx[k] < self.stop_idx[k] {
            let centre = p[self.start_idx[k]];
            for _ in 0..activity {
                let x = sdev * standard_normal(rng) + centre;
                let xt = tics(x);
                if xt >= t0_tics {
                    // NEST's Time::get_steps rounds tics up to the next step.
                    drawn.push((xt + tps - 1).div_euclid(tps));
                }
            }
            self.start_idx[k] += 1;
        }
        let mut all: Vec<i64> = self.pending[k].drain(..).chain(drawn).collect();
        all.sort_unstable();
        self.pending[k] = all.into();
    }
}

impl Node for PacketNodes {
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
        if row[ACTIVITY] < 0.0 {
            return Err(Error::bad_property(format!("The activity cannot be negative (got {}).", row[ACTIVITY])));
        }
        if !(row[SDEV] >= 0.0) {
            return Err(Error::bad_property(format!(
                "The standard deviation cannot be negative (got {} ms).",
                row[SDEV]
            )));
        }
        Ok(())
    }
    fn extra_keys(&self) -> &'static [&'static str] {
        &["pulse_times"]
    }
    fn get_extra(&self, i: usize, d: &mut Dict) {
        d.insert("pulse_times".into(), Value::DoubleVec(self.pulses[i].clone()));
    }
    fn set_extra(&mut self, i: usize, rest: &[(&str, &Value)], row: &[f64], model: &str) -> Result<()> {
        let mut times = None;
        for (k, v) in rest {
            match *k {
                "pulse_times" => times = Some(v.as_f64_vec_in(Unit::Millisecond, k)?),
                other => {
                    return Err(unknown_key(
                        model,
                        other,
                        &["pulse_times", "activity", "sdev", "origin", "start", "stop"],
                    ))
                }
            }
        }
        let changed = row[ACTIVITY] != self.t.get(ACTIVITY, i) || row[SDEV] != self.t.get(SDEV, i);
        if let Some(mut t) = times {
            if t.iter().any(|x| !x.is_finite()) {
                return Err(Error::bad_property("pulse_times must be finite"));
            }
            t.sort_by(f64::total_cmp);
            self.pulses[i] = t;
            self.pending[i].clear();
        } else if changed {
            self.pending[i].clear();
        }
        Ok(())
    }
    fn seed_streams(&mut self, seed: u64, first_id: u32) {
        self.rng =
            (0..self.len()).map(|k| stream(seed, Purpose::Node, first_id as u64 + k as u64, PACKET_STREAM)).collect();
    }
    fn prepare(&mut self, env: &Env) -> Result<()> {
        self.h = env.resolution;
        self.first = env.now;
        self.min_delay = env.min_delay.max(1);
        self.win = windows(&self.t, env.resolution)?;
        let now = env.now as f64 * env.resolution;
        for k in 0..self.len() {
            // NEST's pre-run hook: skip the packets that lie more than the tolerance in the past.
            let tol = self.tolerance(k);
            let (mut start, mut stop) = (0, 0);
            let p = &self.pulses[k];
            while stop < p.len() && p[stop] - now <= tol {
                if (p[stop] - now).abs() > tol {
                    start += 1;
                }
                stop += 1;
            }
            self.start_idx[k] = start;
            self.stop_idx[k] = stop;
        }
        Ok(())
    }
    fn output(&self) -> Option<EventKind> {
        Some(EventKind::Spike)
    }
    fn update(&mut self, ctx: &StepCtx, _inputs: &Inputs<'_>, out: &mut Emitter<'_>) {
        let t = ctx.t;
        let at_slice_start = (t - self.first).rem_euclid(self.min_delay) == 0;
        for k in 0..self.len() {
            if at_slice_start {
                self.slice_start(k, t);
            }
            if !self.slice_active[k] {
                continue;
            }
            let mut n = 0u32;
            while self.pending[k].front().is_some_and(|&s| s <= t) {
                self.pending[k].pop_front();
                n += 1;
            }
            if n > 0 {
                out.spikes(k, n, 1.0);
            }
        }
    }
}
