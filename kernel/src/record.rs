//! Recording: recorder state, event batches and the recording-backend interface.
//!
//! The kernel implements what a recorder records (spikes of its sources, samples of its
//! targets' recordables, inside its start/stop window); *where* it goes is a backend. `memory`
//! is built in (events read back through GetStatus); others (HDF5) are registered from outside
//! the kernel, which does no file I/O itself.

use crate::error::Result;
use crate::model::RecorderMode;
use crate::value::{Dict, Value};

/// Events of one recorder gathered in one slice (or accumulated in memory).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Batch {
    /// Sender global ids.
    pub senders: Vec<u32>,
    /// Event times in steps.
    pub steps: Vec<i64>,
    /// One column per recorded variable (empty for spike recorders).
    pub values: Vec<Vec<f64>>,
}

impl Batch {
    /// Number of events.
    pub fn len(&self) -> usize {
        self.senders.len()
    }
    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.senders.is_empty()
    }
    /// Removes all events, keeping capacity.
    pub fn clear(&mut self) {
        self.senders.clear();
        self.steps.clear();
        for v in &mut self.values {
            v.clear();
        }
    }
    /// Appends another batch.
    pub fn extend(&mut self, o: &Batch) {
        self.senders.extend_from_slice(&o.senders);
        self.steps.extend_from_slice(&o.steps);
        if self.values.len() < o.values.len() {
            self.values.resize(o.values.len(), Vec::new());
        }
        for (a, b) in self.values.iter_mut().zip(&o.values) {
            a.extend_from_slice(b);
        }
    }
}

/// What a backend learns about a recorder when a run starts.
#[derive(Debug, Clone)]
pub struct RecorderInfo {
    /// Recorder global id.
    pub gid: u32,
    /// Model name (spike_recorder, voltmeter, ...).
    pub model: String,
    /// User label ("" if none).
    pub label: String,
    /// Names of the recorded variables (empty for spikes).
    pub record_from: Vec<String>,
    /// Units of the recorded variables (symbols; "" for plain numbers).
    pub units: Vec<String>,
    /// Resolution in ms.
    pub resolution: f64,
    /// Sampling interval in ms (0 for spike recorders).
    pub interval: f64,
    /// Kernel rng_seed.
    pub seed: u64,
    /// Kernel `data_path`.
    pub data_path: String,
    /// Kernel `data_prefix`.
    pub data_prefix: String,
    /// Kernel `overwrite_files`.
    pub overwrite_files: bool,
    /// Whether the recorder reports times in steps (`time_in_steps`).
    pub time_in_steps: bool,
    /// The backend's own recorder properties ([`RecordingBackend::recorder_params`]) with the
    /// recorder's values.
    pub params: Dict,
}

/// A place recorded events go to besides memory (e.g. an HDF5 file).
pub trait RecordingBackend: Send {
    /// The name used in `record_to`.
    fn name(&self) -> &'static str;
    /// A recorder will write to this backend in the coming run. Errors (e.g. an unwritable path)
    /// abort the run before any step is taken.
    fn enroll(&mut self, info: &RecorderInfo) -> Result<()>;
    /// Appends the events of one slice.
    fn write(&mut self, gid: u32, batch: &Batch, resolution: f64) -> Result<()>;
    /// Called at the end of each Simulate: make everything durable.
    fn flush(&mut self) -> Result<()>;
    /// Called on ResetKernel, on errors and at exit: close files cleanly.
    fn close(&mut self) -> Result<()>;
    /// Called at the end of a run (NEST's Cleanup: after every Simulate, or at the end of a
    /// Prepare … Run … Cleanup series), after `flush`. Backends whose files NEST reopens for
    /// every run close them here; the default keeps them.
    fn cleanup(&mut self) -> Result<()> {
        Ok(())
    }
    /// Where the data of recorder `gid` goes (e.g. "file.h5:/spike_recorder-3"), for GetStatus.
    fn location(&self, _gid: u32) -> Option<String> {
        None
    }
    /// Where the data of a recorder described by `info` would go, for GetStatus before the
    /// recorder's first run (NEST's ascii backend shows the file name from the start).
    fn planned_location(&self, _info: &RecorderInfo) -> Option<String> {
        None
    }
    /// Properties a recorder writing to this backend has besides the common ones, with their
    /// defaults (e.g. NEST's ascii backend: `precision`, `file_extension`). The kernel accepts
    /// them in SetStatus only for recorders whose `record_to` is this backend, with the type of
    /// the default, and shows them in GetStatus.
    fn recorder_params(&self) -> Dict {
        Dict::new()
    }
}

/// The columns a weight_recorder records besides senders and times (NEST's names).
pub const WEIGHT_COLUMNS: [&str; 4] = ["weights", "targets", "receptors", "ports"];

/// The kernel-side state of a recording device.
#[derive(Debug, Clone)]
pub struct RecorderState {
    /// Global id.
    pub gid: u32,
    /// Model name.
    pub model: String,
    /// What it records.
    pub mode: RecorderMode,
    /// Window start relative to origin (ms).
    pub start: f64,
    /// Window stop relative to origin (ms); infinity when unset.
    pub stop: f64,
    /// Origin (ms).
    pub origin: f64,
    /// Sampling interval (ms).
    pub interval: f64,
    /// First sampling time when > 0 (ms); samples at offset + k·interval.
    pub offset: f64,
    /// Recorded variables.
    pub record_from: Vec<String>,
    /// Backend name.
    pub record_to: String,
    /// Label.
    pub label: String,
    /// Events recorded in memory.
    pub events: Batch,
    /// Total number of events recorded (all backends).
    pub n_events: usize,
    /// Whether the recorder has targets/sources and so may no longer change record_from.
    pub connected: bool,
    /// Whether `time_in_steps` output is requested.
    pub time_in_steps: bool,
    /// The window (origin+start, origin+stop] in steps, computed when a run starts.
    pub window: (i64, i64),
    /// NEST's `frozen` flag. A recorder records what it receives in any case (NEST delivers
    /// events to frozen nodes too); samplers cannot be frozen.
    pub frozen: bool,
    /// weight_recorder: only events from these senders (empty: all).
    pub senders: Vec<u32>,
    /// weight_recorder: only events to these targets (empty: all).
    pub targets: Vec<u32>,
    /// Values of backend-specific properties set by the user (see
    /// [`RecordingBackend::recorder_params`]).
    pub backend_params: Dict,
}

impl RecorderState {
    /// A recorder with NEST's defaults.
    pub fn new(gid: u32, model: &str, mode: RecorderMode, resolution: f64) -> Self {
        let record_from = match &mode {
            RecorderMode::Spikes => Vec::new(),
            RecorderMode::Sampler { default_record_from, .. } => default_record_from.clone(),
            RecorderMode::Weights => WEIGHT_COLUMNS.iter().map(|s| s.to_string()).collect(),
            RecorderMode::Spins => vec!["state".to_string()],
        };
        RecorderState {
            gid,
            model: model.to_string(),
            mode,
            start: 0.0,
            stop: f64::MAX,
            origin: 0.0,
            interval: 1.0f64.max(resolution),
            offset: 0.0,
            record_from,
            record_to: "memory".into(),
            label: String::new(),
            events: Batch::default(),
            n_events: 0,
            connected: false,
            time_in_steps: false,
            window: (0, i64::MAX),
            frozen: false,
            senders: Vec::new(),
            targets: Vec::new(),
            backend_params: Dict::new(),
        }
    }

    /// Computes the window in steps for resolution `h` (called when a run starts).
    pub fn set_window(&mut self, h: f64) {
        let lo = ((self.origin + self.start) / h).round() as i64;
        let hi = if self.stop < 1e300 { ((self.origin + self.stop) / h).round() as i64 } else { i64::MAX };
        self.window = (lo, hi);
    }

    /// Whether an event stamped at `step` falls inside the window (origin+start, origin+stop].
    #[inline]
    pub fn in_window(&self, step: i64) -> bool {
        self.window.0 < step && step <= self.window.1
    }

    /// Status dictionary entries.
    pub fn status(&self, h: f64, d: &mut Dict) {
        d.insert("frozen".into(), Value::Bool(self.frozen));
        d.insert("start".into(), Value::Double(self.start));
        d.insert("stop".into(), Value::Double(self.stop));
        d.insert("origin".into(), Value::Double(self.origin));
        d.insert("record_to".into(), Value::Str(self.record_to.clone()));
        d.insert("label".into(), Value::Str(self.label.clone()));
        d.insert("n_events".into(), Value::Int(self.n_events as i64));
        d.insert("time_in_steps".into(), Value::Bool(self.time_in_steps));
        let mut ev = Dict::new();
        ev.insert("senders".into(), Value::IntVec(self.events.senders.iter().map(|&s| s as i64).collect()));
        if self.time_in_steps {
            ev.insert("times".into(), Value::IntVec(self.events.steps.clone()));
        } else {
            ev.insert(
                "times".into(),
                Value::DoubleVec(self.events.steps.iter().map(|&s| crate::kernel::step_to_ms(s, h)).collect()),
            );
        }
        if let RecorderMode::Weights = self.mode {
            let ids = |v: &[u32]| Value::IntVec(v.iter().map(|&x| x as i64).collect());
            d.insert("senders".into(), ids(&self.senders));
            d.insert("targets".into(), ids(&self.targets));
            for (i, name) in self.record_from.iter().enumerate() {
                let col = self.events.values.get(i).cloned().unwrap_or_default();
                let v =
                    if i == 0 { Value::DoubleVec(col) } else { Value::IntVec(col.iter().map(|&x| x as i64).collect()) };
                ev.insert(name.clone(), v);
            }
        }
        if let RecorderMode::Spins = self.mode {
            let col = self.events.values.first().cloned().unwrap_or_default();
            ev.insert("state".into(), Value::IntVec(col.iter().map(|&x| x as i64).collect()));
        }
        if let RecorderMode::Sampler { .. } = self.mode {
            d.insert("interval".into(), Value::Double(self.interval));
            d.insert("offset".into(), Value::Double(self.offset));
            d.insert(
                "record_from".into(),
                Value::Array(self.record_from.iter().map(|s| Value::Str(s.clone())).collect()),
            );
            for (i, name) in self.record_from.iter().enumerate() {
                ev.insert(name.clone(), Value::DoubleVec(self.events.values.get(i).cloned().unwrap_or_default()));
            }
        }
        d.insert("events".into(), Value::Dict(ev));
    }
}
