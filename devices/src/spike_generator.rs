//! `spike_generator`: emits spikes at given times.
//!
//! | name | unit | default | meaning |
//! |---|---|---|---|
//! | spike_times | ms | [] | spike times relative to origin, non-descending |
//! | spike_weights | — | [] | per-spike factor on the connection weight (empty: 1) |
//! | spike_multiplicities | — | [] | per-spike multiplicity (empty: 1) |
//! | precise_times | bool | false | off-grid times allowed, sent in the step that contains them |
//! | allow_offgrid_times | bool | false | round off-grid times up to the end of their step |
//! | shift_now_spikes | bool | false | a spike at the current time is sent one step later |
//! | origin, start, stop | ms | 0, 0, ∞ | a spike at t is sent iff origin+start < origin+t ≤ origin+stop |
//!
//! Times are converted as NEST does: to 1 µs tics, which must lie on the grid unless
//! `allow_offgrid_times` or `precise_times` (then moved up to the end of their step); an
//! off-grid time is refused when it is set, as in NEST. A time of 0 is an error unless
//! `shift_now_spikes`. With `precise_times` NEST also sends each spike's offset within its
//! step; only precise-timing neuron models (`*_ps`) read it and nestor has none, so the spikes
//! reach every nestor model exactly as NEST delivers them to grid-based models.
//! Reference: NEST 3.10 `models/spike_generator`. Sends: spikes.

use crate::activity::{validate_window, windows, Window, WINDOW_SPECS};
use crate::current_generators::time_to_stamp;
use nestor_kernel::model::{Emitter, Env, EventKind, Inputs, Instance, Model, Node, NodeKind, Signal, StepCtx};
use nestor_kernel::schema::{unknown_key, ParamSpec, ParamTable};
use nestor_kernel::units::Unit;
use nestor_kernel::{Dict, Error, Result, Value};

static SPECS: [ParamSpec; 6] = [
    WINDOW_SPECS[0],
    WINDOW_SPECS[1],
    WINDOW_SPECS[2],
    ParamSpec::param("precise_times", Unit::Bool, 0.0, "send precise spike offsets"),
    ParamSpec::param("allow_offgrid_times", Unit::Bool, 0.0, "round off-grid times up"),
    ParamSpec::param("shift_now_spikes", Unit::Bool, 0.0, "shift a spike at the current time by one step"),
];

/// The `spike_generator` model.
pub struct SpikeGenerator;

impl Model for SpikeGenerator {
    fn name(&self) -> &'static str {
        "spike_generator"
    }
    fn kind(&self) -> NodeKind {
        NodeKind::Stimulator
    }
    fn doc(&self) -> &'static str {
        "spikes at given times"
    }
    fn instantiate(&self, n: usize) -> Instance {
        Instance::Node(Box::new(SgNodes {
            t: ParamTable::new(&SPECS, n),
            win: Vec::new(),
            times: vec![Vec::new(); n],
            weights: vec![Vec::new(); n],
            mults: vec![Vec::new(); n],
            stamps: vec![Vec::new(); n],
            pos: vec![0; n],
            dirty: vec![true; n],
            h: 0.1,
        }))
    }
}

struct SgNodes {
    t: ParamTable,
    win: Vec<Window>,
    times: Vec<Vec<f64>>,
    weights: Vec<Vec<f64>>,
    mults: Vec<Vec<i64>>,
    stamps: Vec<Vec<i64>>,
    pos: Vec<usize>,
    dirty: Vec<bool>,
    /// Resolution (ms), for checking spike times when they are set.
    h: f64,
}

const KEYS: [&str; 9] = [
    "spike_times",
    "spike_weights",
    "spike_multiplicities",
    "precise_times",
    "allow_offgrid_times",
    "shift_now_spikes",
    "origin",
    "start",
    "stop",
];

impl Node for SgNodes {
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
        if row[3] != 0.0 && (row[4] != 0.0 || row[5] != 0.0) {
            return Err(Error::bad_property(
                "precise_times cannot be true when allow_offgrid_times or shift_now_spikes is true",
            ));
        }
        Ok(())
    }
    fn set_resolution(&mut self, h: f64) {
        self.h = h;
    }
    fn extra_keys(&self) -> &'static [&'static str] {
        &["spike_times", "spike_weights", "spike_multiplicities"]
    }
    fn get_extra(&self, i: usize, d: &mut Dict) {
        d.insert("spike_times".into(), Value::DoubleVec(self.times[i].clone()));
        d.insert("spike_weights".into(), Value::DoubleVec(self.weights[i].clone()));
        d.insert("spike_multiplicities".into(), Value::IntVec(self.mults[i].clone()));
    }
    fn set_extra(&mut self, i: usize, rest: &[(&str, &Value)], row: &[f64], model: &str) -> Result<()> {
        let mut times = None;
        let mut weights = None;
        let mut mults = None;
        for (k, v) in rest {
            match *k {
                "spike_times" => times = Some(v.as_f64_vec_in(Unit::Millisecond, k)?),
                "spike_weights" => weights = Some(v.as_f64_vec_in(Unit::Dimensionless, k)?),
                "spike_multiplicities" => mults = Some(v.as_i64_vec(k)?),
                other => return Err(unknown_key(model, other, &KEYS)),
            }
        }
        let flags_changed = (0..3).any(|j| row[3 + j] != self.t.get(3 + j, i));
        if flags_changed && times.is_none() && !self.times[i].is_empty() {
            return Err(Error::bad_property(
                "spike_generator: options can only be set together with spike_times or before spike times are set",
            ));
        }
        let n_times = times.as_ref().map_or(self.times[i].len(), Vec::len);
        if let Some(t) = &times {
            for w in t.windows(2) {
                if w[1] < w[0] {
                    return Err(Error::bad_property(format!(
                        "spike times must be sorted in non-descending order, got {} after {}",
                        w[1], w[0]
                    )));
                }
            }
            if row[5] == 0.0 {
                if let Some(z) = t.iter().find(|&&x| x == 0.0) {
                    return Err(Error::bad_property(format!(
                        "spike time cannot be set to {z} (set shift_now_spikes to send it one step later)"
                    )));
                }
            }
            if let Some(neg) = t.iter().find(|&&x| x < 0.0) {
                return Err(Error::bad_property(format!("spike times must be >= 0, got {neg}")));
            }
            let offgrid = row[3] != 0.0 || row[4] != 0.0;
            for &x in t {
                time_to_stamp(x, self.h, offgrid, "spike_generator")?;
            }
        }
        if let Some(w) = &weights {
            if !w.is_empty() && w.len() != n_times {
                return Err(Error::bad_property(format!(
                    "spike_weights must have as many elements as spike_times ({n_times}) or none, got {}",
                    w.len()
                )));
            }
        } else if times.is_some() && !self.weights[i].is_empty() && self.weights[i].len() != n_times {
            return Err(Error::bad_property("spike_weights no longer match spike_times; set both together"));
        }
        if let Some(m) = &mults {
            if !m.is_empty() && m.len() != n_times {
                return Err(Error::bad_property(format!(
                    "spike_multiplicities must have as many elements as spike_times ({n_times}) or none, got {}",
                    m.len()
                )));
            }
            if let Some(bad) = m.iter().find(|&&x| x < 0) {
                return Err(Error::bad_property(format!("spike_multiplicities must be >= 0, got {bad}")));
            }
        } else if times.is_some() && !self.mults[i].is_empty() && self.mults[i].len() != n_times {
            return Err(Error::bad_property("spike_multiplicities no longer match spike_times; set both together"));
        }
        let origin_changed = row[0] != self.t.get(0, i);
        let any = times.is_some() || weights.is_some() || mults.is_some() || origin_changed;
        if let Some(t) = times {
            self.times[i] = t;
        }
        if let Some(w) = weights {
            self.weights[i] = w;
        }
        if let Some(m) = mults {
            self.mults[i] = m;
        }
        if any || flags_changed {
            self.pos[i] = 0;
            self.dirty[i] = true;
        }
        Ok(())
    }
    fn prepare(&mut self, env: &Env) -> Result<()> {
        let h = env.resolution;
        self.win = windows(&self.t, h)?;
        for i in 0..self.len() {
            if !self.dirty[i] {
                continue;
            }
            let offgrid = self.t.get(3, i) != 0.0 || self.t.get(4, i) != 0.0;
            let shift = self.t.get(5, i) != 0.0;
            let origin = self.win[i].origin;
            let mut st = Vec::with_capacity(self.times[i].len());
            for &t in &self.times[i] {
                let mut s = time_to_stamp(t, h, offgrid, "spike_generator")?;
                if shift && origin + s == env.now {
                    s += 1;
                }
                st.push(origin + s);
            }
            self.stamps[i] = st;
            self.dirty[i] = false;
        }
        Ok(())
    }
    // NEST: a spike_generator may drive binary neurons too (its spikes then read as transitions).
    fn sends_signal(&self) -> Signal {
        Signal::ALL
    }
    fn output(&self) -> Option<EventKind> {
        Some(EventKind::Spike)
    }
    fn update(&mut self, ctx: &StepCtx, _inputs: &Inputs<'_>, out: &mut Emitter<'_>) {
        let next = ctx.t + 1;
        for i in 0..self.pos.len() {
            let st = &self.stamps[i];
            while self.pos[i] < st.len() && st[self.pos[i]] <= ctx.t {
                self.pos[i] += 1;
            }
            while self.pos[i] < st.len() && st[self.pos[i]] == next {
                let p = self.pos[i];
                if self.win[i].active(next) {
                    let w = self.weights[i].get(p).copied().unwrap_or(1.0);
                    let m = self.mults[i].get(p).copied().unwrap_or(1);
                    if m > 0 {
                        out.spikes(i, m as u32, w);
                    }
                }
                self.pos[i] += 1;
            }
        }
    }
}
