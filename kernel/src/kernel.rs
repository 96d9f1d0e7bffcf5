//! The kernel: nodes, connections, time and the simulation loop.
//!
//! `simulate` advances in slices of `min_delay` steps. Within a slice every chunk integrates its
//! nodes step by step from its own ring buffers (chunks run in parallel; none reads another's
//! state). At the slice end the events of the slice are gathered into one list sorted by (step,
//! source id) and every chunk adds the events of its own incoming connections into its ring
//! buffers. Sums into a ring-buffer cell therefore happen in spike order, then connection
//! creation order, whatever the number of threads.

use crate::archive::Archive;
use crate::conn::{ConnTable, PoissonTable, Prop, Slot};
use crate::error::{hint, Error, ErrorKind, Result};
use crate::model::{
    Emitter, Env, EventKind, Inputs, Instance, LocalEvent, Node, NodeKind, PortEvent, RecorderMode, Route, Signal,
    StepCtx,
};
use crate::nodes::NodeCollection;
use crate::record::{Batch, RecorderInfo, RecorderState, RecordingBackend};
use crate::registry::{ModelEntry, Registry, SynapseEntry, SynapseModel};
use crate::rng::{stream, Purpose};
use crate::schema::ParamTable;
use crate::spec::{ConnSpec, ParamValue, Rule, SynSpec};
use crate::units::Unit;
use crate::value::{Dict, Value};
use rand::RngExt;
use rand_pcg::Pcg64Mcg;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// nestor's version, written into recordings.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// An event in the global list of a slice.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Ev {
    stamp: i64,
    source: u32,
    kind: EventKind,
    mult: u32,
    a: f64,
    b: f64,
}

/// Sampling requests of one recorder for nodes of one chunk.
#[derive(Debug, Clone)]
struct Sampler {
    rec: usize,
    locals: Vec<u32>,
    vars: Vec<usize>,
    interval: i64,
    offset: i64,
    lo: i64,
    hi: i64,
    buf: Batch,
}

/// One chunk of a population with its inputs, incoming connections and outputs.
struct ChunkSlot {
    first: u32,
    node: Box<dyn Node>,
    output: Option<EventKind>,
    channels: usize,
    nslots: usize,
    ring: Vec<f64>,
    conns: ConnTable,
    out: Vec<LocalEvent>,
    /// Values sent through output ports this step.
    port_out: Vec<PortEvent>,
    /// Output ports: first id of the port's node range (aligned with this chunk) and the kind
    /// of event its values travel as.
    ports: Vec<(u32, EventKind)>,
    emitted: Vec<Ev>,
    samplers: Vec<Sampler>,
    /// Spike history for plastic incoming connections (only when there are any).
    archive: Option<Archive>,
    /// `Node::seed_streams` was called.
    seeded: bool,
    /// NEST's `frozen`: the nodes are not updated (no dynamics, no output, no samples; input
    /// arriving meanwhile is dropped). Kept per chunk: a population is frozen as a whole.
    frozen: bool,
    /// Weight-recorder events of the last delivery (targets local).
    wr_out: Vec<crate::conn::WeightEvent>,
    /// The chunk's nodes are neurons: their spikes count in `local_spike_counter` (NEST counts
    /// the spikes of nodes with proxies, not those of devices).
    neuron: bool,
    /// Channels some incoming connection writes to (set by `prepare`); the others stay zero,
    /// so clearing them after every step is skipped.
    live: Vec<bool>,
    /// Kernel connection generation `live` was computed for.
    live_gen: Option<u64>,
}

impl ChunkSlot {
    fn len(&self) -> usize {
        self.node.len()
    }

    /// Recomputes which channels some incoming connection writes to, when the connections
    /// (kernel `generation`) or the channels changed since the last time: walking every
    /// connection at each Simulate would cost more than short runs in a loop.
    fn update_live_channels(&mut self, generation: u64) {
        if self.live_gen == Some(generation) && self.live.len() == self.channels {
            return;
        }
        let mut live = vec![false; self.channels];
        self.conns.for_each(|_, _, _, p| {
            if let Some(x) = live.get_mut(p.route.channel as usize) {
                *x = true;
            }
        });
        // A channel that lost its last connection may still hold input scheduled earlier.
        let per_channel = self.nslots * self.len();
        for (ch, &l) in live.iter().enumerate() {
            if !l && self.live.get(ch).copied().unwrap_or(true) {
                if let Some(cells) = self.ring.get_mut(ch * per_channel..(ch + 1) * per_channel) {
                    cells.fill(0.0);
                }
            }
        }
        self.live = live;
        self.live_gen = Some(generation);
    }

    fn resize_ring(&mut self, nslots: usize, now: i64) {
        let n = self.len();
        if self.nslots == nslots && self.ring.len() == self.channels * nslots * n {
            return;
        }
        let mut ring = vec![0.0; self.channels * nslots * n];
        if self.nslots > 0 && !self.ring.is_empty() && n > 0 {
            // A model may have gained input channels since the last run (a multisynapse neuron
            // given more receptors): the old ring holds only the channels it had.
            let old_channels = self.ring.len() / (self.nslots * n);
            for ch in 0..self.channels.min(old_channels) {
                for k in 0..self.nslots as i64 {
                    let t = now + k;
                    let old = (ch * self.nslots + t.rem_euclid(self.nslots as i64) as usize) * n;
                    let new = (ch * nslots + t.rem_euclid(nslots as i64) as usize) * n;
                    if (k as usize) < nslots {
                        ring[new..new + n].copy_from_slice(&self.ring[old..old + n]);
                    }
                }
            }
        }
        self.ring = ring;
        self.nslots = nslots;
    }

    fn run(&mut self, from: i64, to: i64, h: f64) {
        let n = self.len();
        let nslots = self.nslots.max(1);
        if self.frozen {
            for t in from..to {
                let slot = t.rem_euclid(nslots as i64) as usize;
                for ch in 0..self.channels {
                    let base = (ch * nslots + slot) * n;
                    self.ring[base..base + n].fill(0.0);
                }
            }
            return;
        }
        for t in from..to {
            let slot = t.rem_euclid(nslots as i64) as usize;
            self.out.clear();
            self.port_out.clear();
            {
                let inputs = Inputs { data: &self.ring, n, nslots, slot };
                let ports = if self.ports.is_empty() { None } else { Some(&mut self.port_out) };
                let mut em = Emitter { out: &mut self.out, ports };
                self.node.update(&StepCtx { t, h }, &inputs, &mut em);
            }
            for e in &self.port_out {
                if let Some(&(first, kind)) = self.ports.get((e.port as usize).wrapping_sub(1)) {
                    self.emitted.push(Ev { stamp: t + 1, source: first + e.local, kind, mult: 1, a: e.a, b: 0.0 });
                }
            }
            for ch in (0..self.channels).filter(|&ch| self.live.get(ch).copied().unwrap_or(true)) {
                let base = (ch * nslots + slot) * n;
                self.ring[base..base + n].fill(0.0);
            }
            if let Some(kind) = self.output {
                for e in &self.out {
                    self.emitted.push(Ev {
                        stamp: t + 1,
                        source: self.first + e.local,
                        kind,
                        mult: e.mult,
                        a: e.a,
                        b: e.b,
                    });
                }
                if let Some(ar) = &mut self.archive {
                    let ts = step_to_ms(t + 1, h);
                    for e in &self.out {
                        // A spike of multiplicity m is m spikes in the history (NEST's parrot).
                        for _ in 0..e.mult.max(1) {
                            ar.spike(e.local as usize, ts);
                        }
                    }
                }
            }
            let s = t + 1;
            for sm in &mut self.samplers {
                if s > 0 && s >= sm.offset && (s - sm.offset) % sm.interval == 0 && sm.lo < s && s <= sm.hi {
                    for &l in &sm.locals {
                        sm.buf.senders.push(self.first + l);
                        sm.buf.steps.push(s);
                        for (j, &v) in sm.vars.iter().enumerate() {
                            sm.buf.values[j].push(self.node.read(v, l as usize));
                        }
                    }
                }
            }
        }
    }

    fn deliver(&mut self, events: &[Ev], syn: &SynTables, h: f64, seed: u64) {
        let n = self.len();
        let nslots = self.nslots;
        if self.conns.is_empty() || nslots == 0 {
            return;
        }
        let models = &syn.models[..];
        let plastic = self.conns.has_plastic();
        for ev in events {
            let base = (ev.stamp - 1).rem_euclid(nslots as i64) as usize;
            self.conns.deliver(ev.kind, (ev.source, ev.stamp), ev.mult, ev.a, ev.b, base, nslots, n, &mut self.ring);
            let recorded = syn.any_wr && syn.devices.binary_search(&ev.source).is_err();
            let wr: &[Option<u32>] = if recorded { &syn.wr } else { &[] };
            if recorded && ev.kind == EventKind::Spike {
                self.conns.record_static(ev.source, ev.stamp, wr, &mut self.wr_out);
            }
            if plastic && ev.kind == EventKind::Spike {
                if let Some(ar) = &mut self.archive {
                    self.conns.deliver_plastic(
                        ev.source,
                        (ev.mult, ev.a, ev.b),
                        ev.stamp,
                        (h, seed),
                        (base, nslots, n),
                        &mut self.ring,
                        models,
                        ar,
                        (wr, &mut self.wr_out),
                    );
                }
            }
        }
    }
}

/// What delivery needs to know about the synapse models: the model with its common properties
/// and the weight_recorder (recorder index) of each.
struct SynTables {
    models: Vec<(Arc<dyn SynapseModel>, Vec<f64>)>,
    wr: Vec<Option<u32>>,
    any_wr: bool,
    /// Stimulating devices with outgoing connections, sorted: as in NEST, what they send is
    /// not reported to weight recorders (NEST delivers device events without weight events).
    devices: Vec<u32>,
}

/// A population: the nodes of one Create call.
#[derive(Debug, Clone)]
struct Population {
    first: u32,
    n: u32,
    model: String,
    kind: NodeKind,
    /// Global chunk indices and the local start of each chunk (neurons and stimulators).
    chunks: Vec<(usize, u32)>,
    /// Index of the first recorder state (recorders).
    rec_first: usize,
}

/// Where a node lives.
#[derive(Debug, Clone, Copy)]
enum Loc {
    Chunk { chunk: usize, local: usize, pop: usize },
    Recorder { rec: usize, pop: usize },
}

/// The ids that stand for an output port of a population: they own no state and never update;
/// the population's chunk emits their events (see [`Kernel::add_output_port`]).
struct PortNodes {
    n: usize,
    table: ParamTable,
}

impl Node for PortNodes {
    fn len(&self) -> usize {
        self.n
    }
    fn table(&self) -> &ParamTable {
        &self.table
    }
    fn table_mut(&mut self) -> &mut ParamTable {
        &mut self.table
    }
    fn prepare(&mut self, _env: &Env) -> Result<()> {
        Ok(())
    }
    fn output(&self) -> Option<EventKind> {
        Some(EventKind::Current)
    }
    fn update(&mut self, _ctx: &StepCtx, _inputs: &Inputs<'_>, _out: &mut Emitter<'_>) {}
}

/// Identifies one connection for GetStatus/SetStatus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnId {
    /// A connection stored in a chunk.
    Stored {
        /// Chunk index.
        chunk: u32,
        /// Position in the chunk's table.
        slot: Slot,
        /// Kernel connection generation when the id was issued.
        generation: u64,
    },
    /// A connection from or to a recording device.
    Recording(u32),
}

/// One connection as GetConnections reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct ConnectionInfo {
    /// Source global id.
    pub source: u32,
    /// Target global id.
    pub target: u32,
    /// Synapse model name.
    pub synapse_model: String,
    /// Weight.
    pub weight: f64,
    /// Delay in ms.
    pub delay: f64,
    /// Receptor port.
    pub receptor: i64,
    /// Handle for connection status calls.
    pub id: ConnId,
}

/// A filter for GetConnections.
#[derive(Debug, Clone, Default)]
pub struct ConnFilter {
    /// Only these sources.
    pub source: Option<NodeCollection>,
    /// Only these targets.
    pub target: Option<NodeCollection>,
    /// Only this synapse model.
    pub synapse_model: Option<String>,
}

#[derive(Debug, Clone)]
struct RecConn {
    source: u32,
    target: u32,
    syn: usize,
    weight: f64,
    delay: f64,
}

/// The simulation kernel.
pub struct Kernel {
    /// The events of the current slice (kept to reuse its allocation).
    events: Vec<Ev>,
    registry: Registry,
    pristine: Registry,
    h: f64,
    now: i64,
    rng_seed: u64,
    threads: usize,
    pool: Option<rayon::ThreadPool>,
    pops: Vec<Population>,
    chunks: Vec<ChunkSlot>,
    recorders: Vec<RecorderState>,
    next_gid: u32,
    conn_delays: Option<(i64, i64)>,
    user_delays: Option<(i64, i64)>,
    num_connections: usize,
    connect_calls: u64,
    generation: u64,
    spike_targets: HashMap<u32, Vec<usize>>,
    /// Spike recorders fed by per-target drawing generators (poisson_generator): per source, one
    /// (recorder, the connection's own random stream) per connection. NEST's generator draws a
    /// count for every connection, the recorder's included, and the recorder records it.
    ds_spike_targets: HashMap<u32, Vec<(usize, Pcg64Mcg)>>,
    /// Number of SetStatus calls that drew random values (part of their stream keys).
    status_draws: u64,
    /// Synapse model of each stimulation device's outgoing connections: NEST allows one per
    /// device (`StimulationDevice::enforce_single_syn_type`).
    device_syn: HashMap<u32, usize>,
    rec_conns: Vec<RecConn>,
    backends: Vec<Box<dyn RecordingBackend>>,
    data_path: String,
    data_prefix: String,
    overwrite_files: bool,
    interrupt: Arc<AtomicBool>,
    /// Between NEST's Prepare and Cleanup (`begin_runs`/`end_runs`): recording backends keep
    /// their per-run state (e.g. open ascii files) from one `run` to the next.
    in_runs: bool,
    dirty_samplers: bool,
    /// Recorder data of the last slice, handed to the recorders with the next slice (NEST
    /// delivers spikes and hands over samples one min_delay slice later, so after Simulate(T)
    /// the recorders hold the data up to T − min_delay; the rest arrives with the next call).
    pending: BTreeMap<usize, Batch>,
    /// Wall-clock seconds spent per phase: prepare, update, deliver, record.
    timers: [f64; 4],
    /// NEST's construction and simulation stopwatches: (wall, process CPU) seconds spent in
    /// Create, in Connect and in Simulate, accumulated until ResetKernel as NEST's are.
    sw_create: Stopwatch,
    sw_connect: Stopwatch,
    sw_simulate_cpu: f64,
    /// NEST's `local_spike_counter`: spikes (with multiplicity) sent by neurons in the last Run.
    local_spike_counter: u64,
    /// NEST's `keep_source_table`: with false, NEST drops the senders of connections after
    /// building its tables, and models that need the sender of each spike (binary neurons)
    /// cannot run.
    keep_source_table: bool,
    /// NEST's `dict_miss_is_error`: with false, status entries a node or model does not read are
    /// reported as a warning instead of an error. The kernel only keeps the setting; the
    /// front ends (SLI's SetStatus/SetDefaults) read it through [`Kernel::dict_miss_is_error`].
    dict_miss_is_error: bool,
}

fn steps_of(ms: f64, h: f64) -> i64 {
    (ms / h).round() as i64
}

/// A step count as ms, computed as NEST does (via integer tics of 1 µs), so that printed times
/// are bit-identical to NEST's (e.g. step 593 at h = 0.1 is 59.300000000000004 ms).
pub fn step_to_ms(step: i64, h: f64) -> f64 {
    let tics_per_step = (h * 1000.0).round() as i64;
    (step * tics_per_step) as f64 * 0.001
}

impl Kernel {
    /// A kernel with the models of `registry`, NEST's default kernel status and no nodes.
    pub fn new(registry: Registry) -> Self {
        Kernel {
            events: Vec::new(),
            pristine: registry.clone(),
            registry,
            h: 0.1,
            now: 0,
            rng_seed: 143202461,
            threads: 1,
            pool: None,
            pops: Vec::new(),
            chunks: Vec::new(),
            recorders: Vec::new(),
            next_gid: 1,
            conn_delays: None,
            user_delays: None,
            num_connections: 0,
            connect_calls: 0,
            generation: 0,
            spike_targets: HashMap::new(),
            ds_spike_targets: HashMap::new(),
            status_draws: 0,
            device_syn: HashMap::new(),
            rec_conns: Vec::new(),
            backends: Vec::new(),
            data_path: String::new(),
            data_prefix: String::new(),
            overwrite_files: false,
            interrupt: Arc::new(AtomicBool::new(false)),
            in_runs: false,
            dirty_samplers: true,
            pending: BTreeMap::new(),
            timers: [0.0; 4],
            sw_create: Stopwatch::default(),
            sw_connect: Stopwatch::default(),
            sw_simulate_cpu: 0.0,
            local_spike_counter: 0,
            keep_source_table: true,
            dict_miss_is_error: true,
        }
    }

    /// Adds a recording backend (usable in `record_to` by its name).
    pub fn add_backend(&mut self, b: Box<dyn RecordingBackend>) {
        self.backends.retain(|x| x.name() != b.name());
        self.backends.push(b);
    }

    /// A flag that, when set from another thread (e.g. a Ctrl-C handler), stops `simulate` at the
    /// next slice boundary with [`ErrorKind::Interrupted`], leaving the kernel consistent.
    pub fn interrupt_handle(&self) -> Arc<AtomicBool> {
        self.interrupt.clone()
    }

    /// The model registry.
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// NEST's `dict_miss_is_error` kernel status (true unless set otherwise since ResetKernel).
    pub fn dict_miss_is_error(&self) -> bool {
        self.dict_miss_is_error
    }

    /// Resolution in ms.
    pub fn resolution(&self) -> f64 {
        self.h
    }

    /// Current time in ms.
    pub fn time(&self) -> f64 {
        step_to_ms(self.now, self.h)
    }

    /// Number of nodes created.
    pub fn network_size(&self) -> usize {
        (self.next_gid - 1) as usize
    }

    /// ResetKernel: removes all nodes and connections, resets time, kernel status and models.
    pub fn reset(&mut self) -> Result<()> {
        let mut first_err = None;
        for b in &mut self.backends {
            if let Err(e) = b.close() {
                first_err.get_or_insert(e);
            }
        }
        let backends = std::mem::take(&mut self.backends);
        let interrupt = self.interrupt.clone();
        *self = Kernel::new(self.pristine.clone());
        self.backends = backends;
        self.interrupt = interrupt;
        first_err.map_or(Ok(()), Err)
    }

    /// Closes recording backends (call at exit or after an error).
    pub fn close_backends(&mut self) -> Result<()> {
        let mut first_err = None;
        for b in &mut self.backends {
            if let Err(e) = b.close() {
                first_err.get_or_insert(e);
            }
        }
        first_err.map_or(Ok(()), Err)
    }

    // ---------------------------------------------------------------- kernel status

    /// GetKernelStatus.
    pub fn kernel_status(&self) -> Dict {
        let (mind, maxd) = self.delay_extrema();
        let mut d = Dict::new();
        d.insert("resolution".into(), Value::Double(self.h));
        d.insert("rng_seed".into(), Value::Int(self.rng_seed as i64));
        d.insert("local_num_threads".into(), Value::Int(self.threads as i64));
        d.insert("total_num_virtual_procs".into(), Value::Int(self.threads as i64));
        d.insert("num_processes".into(), Value::Int(1));
        d.insert("biological_time".into(), Value::Double(self.time()));
        d.insert("min_delay".into(), Value::Double(step_to_ms(mind, self.h)));
        d.insert("max_delay".into(), Value::Double(step_to_ms(maxd, self.h)));
        d.insert("num_connections".into(), Value::Int(self.num_connections as i64));
        d.insert("network_size".into(), Value::Int(self.network_size() as i64));
        d.insert("local_spike_counter".into(), Value::Int(self.local_spike_counter as i64));
        d.insert("keep_source_table".into(), Value::Bool(self.keep_source_table));
        d.insert("dict_miss_is_error".into(), Value::Bool(self.dict_miss_is_error));
        d.insert("ms_per_tic".into(), Value::Double(0.001));
        d.insert("tics_per_ms".into(), Value::Double(1000.0));
        d.insert("tics_per_step".into(), Value::Int((self.h * 1000.0).round() as i64));
        d.insert("data_path".into(), Value::Str(self.data_path.clone()));
        d.insert("data_prefix".into(), Value::Str(self.data_prefix.clone()));
        d.insert("overwrite_files".into(), Value::Bool(self.overwrite_files));
        d.insert("nestor_version".into(), Value::Str(VERSION.into()));
        d.insert("time_simulate".into(), Value::Double(self.timers.iter().sum()));
        d.insert("time_prepare".into(), Value::Double(self.timers[0]));
        d.insert("time_update".into(), Value::Double(self.timers[1]));
        d.insert("time_deliver".into(), Value::Double(self.timers[2]));
        d.insert("time_record".into(), Value::Double(self.timers[3]));
        d.insert("time_simulate_cpu".into(), Value::Double(self.sw_simulate_cpu));
        d.insert("time_communicate_prepare".into(), Value::Double(self.timers[0]));
        d.insert("time_construction_create".into(), Value::Double(self.sw_create.wall));
        d.insert("time_construction_create_cpu".into(), Value::Double(self.sw_create.cpu));
        d.insert("time_construction_connect".into(), Value::Double(self.sw_connect.wall));
        d.insert("time_construction_connect_cpu".into(), Value::Double(self.sw_connect.cpu));
        d.insert(
            "recording_backends".into(),
            Value::Array(
                std::iter::once("memory").chain(self.backends.iter().map(|b| b.name())).map(Value::from).collect(),
            ),
        );
        d
    }

    /// SetKernelStatus. Checks everything before changing anything.
    pub fn set_kernel_status(&mut self, d: &Dict) -> Result<()> {
        let mut h = self.h;
        let mut seed = self.rng_seed;
        let mut keep_source_table = self.keep_source_table;
        let mut dict_miss_is_error = self.dict_miss_is_error;
        let mut threads = self.threads;
        let mut data_path = self.data_path.clone();
        let mut data_prefix = self.data_prefix.clone();
        let mut overwrite = self.overwrite_files;
        let mut delays = self.user_delays;
        let mut min_d = None;
        let mut max_d = None;
        for (k, v) in d {
            match k.as_str() {
                "resolution" => {
                    let x = v.as_f64_in(Unit::Millisecond, k)?;
                    if !(x > 0.0) || !x.is_finite() {
                        return Err(Error::bad_property(format!("resolution must be > 0 ms, got {x}")));
                    }
                    // NEST's tic is 1 µs: the resolution must be a whole number of tics.
                    if ((x * 1000.0).round() - x * 1000.0).abs() > 1e-6 {
                        return Err(Error::bad_property(format!(
                            "resolution must be a multiple of the tic length 0.001 ms, got {x}"
                        )));
                    }
                    if x != self.h && self.network_size() > 0 {
                        return Err(Error::new(
                            ErrorKind::KernelException,
                            format!("cannot change the resolution to {x} ms after nodes have been created (resolution is {} ms)", self.h),
                        ));
                    }
                    if x != self.h && self.now > 0 {
                        return Err(Error::new(
                            ErrorKind::KernelException,
                            "cannot change the resolution after simulating",
                        ));
                    }
                    h = x;
                }
                "rng_seed" => {
                    let s = v.as_i64(k)?;
                    if !(1..=(u32::MAX as i64)).contains(&s) {
                        return Err(Error::bad_property(format!("rng_seed must be in [1, 2^32-1], got {s}")));
                    }
                    seed = s as u64;
                }
                "local_num_threads" | "total_num_virtual_procs" => {
                    let t = v.as_i64(k)?;
                    if t < 1 {
                        return Err(Error::bad_property(format!("{k} must be >= 1, got {t}")));
                    }
                    if t as usize != self.threads && self.network_size() > 0 {
                        return Err(Error::new(
                            ErrorKind::KernelException,
                            format!("cannot change {k} to {t} after nodes have been created"),
                        ));
                    }
                    threads = t as usize;
                }
                "data_path" => data_path = v.as_str(k)?.to_string(),
                "data_prefix" => data_prefix = v.as_str(k)?.to_string(),
                "overwrite_files" => overwrite = v.as_bool(k)?,
                "min_delay" => min_d = Some(v.as_f64_in(Unit::Millisecond, k)?),
                "max_delay" => max_d = Some(v.as_f64_in(Unit::Millisecond, k)?),
                // NEST accepts 0.0 (and resets its clock with a warning when time has passed);
                // nestor accepts it before the first Simulate and asks for ResetKernel after.
                "biological_time" => {
                    let t = v.as_f64_in(Unit::Millisecond, k)?;
                    if t != 0.0 {
                        return Err(Error::bad_property(format!(
                            "The simulation time can only be set to 0.0 (got biological_time = {t} ms)."
                        )));
                    }
                    if self.now != 0 {
                        return Err(Error::new(
                            ErrorKind::NotImplemented,
                            format!(
                                "biological_time: resetting the simulation time from {} ms to 0 is not supported; \
                                 use ResetKernel",
                                self.time()
                            ),
                        ));
                    }
                }
                "network_size"
                | "local_spike_counter"
                | "num_connections"
                | "num_processes"
                | "nestor_version"
                | "tics_per_ms"
                | "ms_per_tic"
                | "tics_per_step"
                | "recording_backends"
                | "time_simulate"
                | "time_prepare"
                | "time_update"
                | "time_deliver"
                | "time_record"
                | "time_simulate_cpu"
                | "time_communicate_prepare"
                | "time_construction_create"
                | "time_construction_create_cpu"
                | "time_construction_connect"
                | "time_construction_connect_cpu" => {
                    return Err(Error::bad_property(format!("kernel status '{k}' is read-only")))
                }
                "print_time" => {
                    v.as_bool(k)?;
                }
                "dict_miss_is_error" => dict_miss_is_error = v.as_bool(k)?,
                "keep_source_table" => keep_source_table = v.as_bool(k)?,
                other => {
                    const KEYS: [&str; 10] = [
                        "resolution",
                        "rng_seed",
                        "local_num_threads",
                        "total_num_virtual_procs",
                        "data_path",
                        "data_prefix",
                        "overwrite_files",
                        "min_delay",
                        "max_delay",
                        "print_time",
                    ];
                    return Err(Error::bad_property(format!(
                        "unknown kernel status entry '{other}'{}",
                        hint(other, KEYS)
                    )));
                }
            }
        }
        if min_d.is_some() || max_d.is_some() {
            if self.num_connections > 0 {
                return Err(Error::new(
                    ErrorKind::KernelException,
                    "min_delay and max_delay cannot be set after connections were made",
                ));
            }
            let (cur_min, cur_max) = self.delay_extrema();
            let mn = min_d.map_or(cur_min, |x| steps_of(x, h));
            let mx = max_d.map_or(cur_max, |x| steps_of(x, h));
            if mn < 1 || mx < mn {
                return Err(Error::new(
                    ErrorKind::BadDelay,
                    format!(
                        "min_delay and max_delay must satisfy resolution <= min_delay <= max_delay, got {} and {} ms",
                        mn as f64 * h,
                        mx as f64 * h
                    ),
                ));
            }
            delays = Some((mn, mx));
        }
        if threads != self.threads {
            self.pool = if threads > 1 {
                Some(rayon::ThreadPoolBuilder::new().num_threads(threads).build().map_err(|e| {
                    Error::new(ErrorKind::KernelException, format!("cannot start {threads} threads: {e}"))
                })?)
            } else {
                None
            };
        }
        self.h = h;
        self.rng_seed = seed;
        self.keep_source_table = keep_source_table;
        self.dict_miss_is_error = dict_miss_is_error;
        self.threads = threads;
        self.data_path = data_path;
        self.data_prefix = data_prefix;
        self.overwrite_files = overwrite;
        self.user_delays = delays;
        Ok(())
    }

    fn delay_extrema(&self) -> (i64, i64) {
        match (self.conn_delays, self.user_delays) {
            (Some((a, b)), Some((c, d))) => (a.min(c), b.max(d)),
            (Some(x), None) | (None, Some(x)) => x,
            // NEST reports one step for both before any connection exists.
            (None, None) => (1, 1),
        }
    }

    // ---------------------------------------------------------------- models

    /// GetDefaults of a node or synapse model.
    pub fn get_defaults(&self, model: &str) -> Result<Dict> {
        if let Ok(sid) = self.registry.synapse_id(model) {
            let s = &self.registry.synapses[sid];
            let mut d = Dict::new();
            d.insert("weight".into(), Value::Double(s.weight));
            d.insert("delay".into(), Value::Double(s.delay));
            d.insert("receptor_type".into(), Value::Int(s.receptor_type));
            d.insert("synapse_model".into(), Value::Str(s.name.clone()));
            // nestor's own numbering (registration order, copies after), not NEST's numbers.
            d.insert("synapse_modelid".into(), Value::Int(sid as i64));
            d.insert("num_connections".into(), Value::Int(self.count_connections_of(sid) as i64));
            for (spec, x) in s.base.schema().iter().zip(&s.row) {
                d.insert(spec.name.into(), spec.to_value(*x));
            }
            for (spec, x) in s.base.common_schema().iter().zip(&s.common) {
                d.insert(spec.name.into(), spec.to_value(*x));
            }
            d.insert("weight_recorder".into(), Value::IntVec(s.weight_recorder.map(i64::from).into_iter().collect()));
            return Ok(d);
        }
        let mid = self.registry.model_id(model)?;
        let entry = &self.registry.models[mid];
        let mut d = match entry.factory.instantiate(1) {
            Instance::Node(mut node) => {
                node.set_resolution(self.h);
                apply_status(node.as_mut(), 0, &entry.overrides, &entry.name)?;
                let mut d = node_status(node.as_ref(), 0);
                let frozen = entry.overrides.get("frozen").map_or(Ok(false), |v| v.as_bool("frozen"))?;
                d.insert("frozen".into(), Value::Bool(frozen));
                d
            }
            Instance::Recorder(mode) => {
                let mut r = RecorderState::new(0, &entry.name, mode.clone(), self.h);
                set_recorder_status(&mut r, &entry.overrides, self.h, &self.backends)?;
                let mut d = Dict::new();
                r.status(self.h, &mut d);
                d
            }
        };
        d.insert("model".into(), Value::Str(entry.name.clone()));
        d.insert("model_id".into(), Value::Int(mid as i64));
        d.insert("element_type".into(), Value::Str(entry.factory.kind().element_type().into()));
        Ok(d)
    }

    /// Takes `weight_recorder` (a weight_recorder's id, a collection of one, or none) out of a
    /// synapse model's defaults dictionary.
    fn take_weight_recorder(&self, d: &Dict, slot: &mut Option<u32>) -> Result<Dict> {
        let Some(v) = d.get("weight_recorder") else { return Ok(d.clone()) };
        let ids = match v {
            Value::Int(i) => vec![*i],
            other => other.as_i64_vec("weight_recorder")?,
        };
        *slot = match ids.as_slice() {
            [] => None,
            [g] => {
                let gid = u32::try_from(*g).ok().filter(|_| *g > 0);
                match gid.map(|g| (g, self.locate(g))) {
                    Some((g, Ok(Loc::Recorder { rec, .. }))) if self.recorders[rec].mode == RecorderMode::Weights => {
                        Some(g)
                    }
                    _ => {
                        return Err(Error::bad_property(format!(
                            "weight_recorder must be a weight_recorder node, got node {g}{}",
                            gid.and_then(|g| self.model_of(g).ok()).map(|m| format!(" ({m})")).unwrap_or_default()
                        )))
                    }
                }
            }
            _ => {
                return Err(Error::bad_property(format!(
                    "weight_recorder must be a single weight_recorder, got {} nodes",
                    ids.len()
                )))
            }
        };
        let mut rest = d.clone();
        rest.remove("weight_recorder");
        Ok(rest)
    }

    /// SetDefaults of a node or synapse model.
    pub fn set_defaults(&mut self, model: &str, d: &Dict) -> Result<()> {
        if let Ok(sid) = self.registry.synapse_id(model) {
            let mut s = self.registry.synapses[sid].clone();
            let d = &self.take_weight_recorder(d, &mut s.weight_recorder)?;
            apply_synapse_defaults(&mut s, d, self.h)?;
            let old = self.registry.synapses[sid].weight;
            if s.base.common_weight() && s.weight.to_bits() != old.to_bits() && self.count_connections_of(sid) > 0 {
                // NEST's common weight: existing connections follow the model.
                let class = |w: f64| (w > 0.0, w < 0.0);
                if class(s.weight) != class(old) {
                    return Err(Error::bad_property(format!(
                        "{model}: the common weight cannot change sign ({old} to {}) once connections exist; the sign chose each connection's receptor",
                        s.weight
                    )));
                }
                for c in &mut self.chunks {
                    c.conns.set_weight_of_model(sid as u16, s.weight);
                }
            }
            self.registry.synapses[sid] = s;
            return Ok(());
        }
        let mid = self.registry.model_id(model)?;
        let mut overrides = self.registry.models[mid].overrides.clone();
        for (k, v) in d {
            overrides.insert(k.clone(), v.clone());
        }
        self.check_overrides(&self.registry.models[mid], &overrides)?;
        self.registry.models[mid].overrides = overrides;
        Ok(())
    }

    fn check_overrides(&self, entry: &ModelEntry, overrides: &Dict) -> Result<()> {
        match entry.factory.instantiate(1) {
            Instance::Node(mut node) => {
                node.set_resolution(self.h);
                apply_status(node.as_mut(), 0, overrides, &entry.name)
            }
            Instance::Recorder(mode) => {
                let mut r = RecorderState::new(0, &entry.name, mode, self.h);
                set_recorder_status(&mut r, overrides, self.h, &self.backends)
            }
        }
    }

    /// CopyModel: registers `new` as a copy of `old` with `params` applied to its defaults.
    pub fn copy_model(&mut self, old: &str, new: &str, params: &Dict) -> Result<()> {
        if self.registry.contains(new) {
            return Err(Error::new(
                ErrorKind::KernelException,
                format!("CopyModel: a model named '{new}' already exists"),
            ));
        }
        if let Ok(sid) = self.registry.synapse_id(old) {
            let mut s: SynapseEntry = self.registry.synapses[sid].clone();
            s.name = new.to_string();
            let params = &self.take_weight_recorder(params, &mut s.weight_recorder)?;
            apply_synapse_defaults(&mut s, params, self.h)?;
            self.registry.synapses.push(s);
            return Ok(());
        }
        let mid = self.registry.model_id(old)?;
        let mut entry = self.registry.models[mid].clone();
        entry.name = new.to_string();
        for (k, v) in params {
            entry.overrides.insert(k.clone(), v.clone());
        }
        self.check_overrides(&entry, &entry.overrides)?;
        self.registry.models.push(entry);
        Ok(())
    }

    // ---------------------------------------------------------------- nodes

    /// Create: `n` nodes of `model`, with `params` applied to each. Nothing is created on error.
    pub fn create(&mut self, model: &str, n: usize, params: Option<&Dict>) -> Result<NodeCollection> {
        let t = Stopwatch::start();
        let r = self.create_nodes(model, n, params);
        t.stop(&mut self.sw_create);
        r
    }

    fn create_nodes(&mut self, model: &str, n: usize, params: Option<&Dict>) -> Result<NodeCollection> {
        let mid = self.registry.model_id(model)?;
        if n == 0 {
            return Err(Error::bad_parameter("Create: the number of nodes must be at least 1, got 0"));
        }
        if (self.next_gid as u64) + n as u64 > u32::MAX as u64 {
            return Err(Error::bad_parameter(format!("Create: {n} nodes exceed the id range")));
        }
        let entry = self.registry.models[mid].clone();
        let first = self.next_gid;
        let kind = entry.factory.kind();
        let mut pop =
            Population { first, n: n as u32, model: entry.name.clone(), kind, chunks: Vec::new(), rec_first: 0 };
        match entry.factory.instantiate(0) {
            Instance::Recorder(mode) => {
                let mut recs = Vec::with_capacity(n);
                for i in 0..n {
                    let mut r = RecorderState::new(first + i as u32, &entry.name, mode.clone(), self.h);
                    set_recorder_status(&mut r, &entry.overrides, self.h, &self.backends)?;
                    if let Some(p) = params {
                        set_recorder_status(&mut r, p, self.h, &self.backends)?;
                    }
                    recs.push(r);
                }
                pop.rec_first = self.recorders.len();
                self.recorders.extend(recs);
            }
            Instance::Node(_) => {
                let nchunks = if kind == NodeKind::Neuron && n >= 64 * self.threads { self.threads } else { 1 };
                let mut new_chunks = Vec::with_capacity(nchunks);
                let mut start = 0usize;
                for c in 0..nchunks {
                    let len = n / nchunks + usize::from(c < n % nchunks);
                    let Instance::Node(mut node) = entry.factory.instantiate(len) else {
                        return Err(Error::new(
                            ErrorKind::KernelException,
                            format!("model {} changed its kind", entry.name),
                        ));
                    };
                    node.set_resolution(self.h);
                    if let Some(p) = params {
                        check_defaults_only(node.as_ref(), p)?;
                    }
                    if !entry.overrides.is_empty() || params.is_some() {
                        let mut merged = entry.overrides.clone();
                        if let Some(p) = params {
                            for (k, v) in p {
                                merged.insert(k.clone(), v.clone());
                            }
                        }
                        // Random initial values (`<< /V << /distribution /normal /mu -55 /sigma 2 >> >>`):
                        // drawn per node from a stream keyed by its id, so they do not depend
                        // on threads.
                        let mut random = Vec::new();
                        for (k, v) in &merged {
                            if let Value::Dict(d) = v {
                                if d.contains_key("distribution") {
                                    let unit = crate::schema::index_of(node.table().specs(), k)
                                        .map(|x| node.table().specs()[x].unit)
                                        .ok_or_else(|| {
                                            Error::bad_property(format!(
                                                "{}: '{k}' is not a numeric parameter and cannot be drawn from a distribution",
                                                entry.name
                                            ))
                                        })?;
                                    random.push((k.clone(), crate::spec::Distribution::from_dict(d, unit, k)?));
                                }
                            }
                        }
                        let mut row = merged.clone();
                        for i in 0..len {
                            let gid = first + (start + i) as u32;
                            for (ki, (k, dist)) in random.iter().enumerate() {
                                let mut rng = stream(self.rng_seed, Purpose::Node, gid as u64, 1000 + ki as u64);
                                row.insert(k.clone(), Value::Double(dist.sample(&mut rng)));
                            }
                            apply_status(node.as_mut(), i, &row, &entry.name)?;
                        }
                    }
                    let frozen = match params.and_then(|p| p.get("frozen")).or(entry.overrides.get("frozen")) {
                        Some(v) => v.as_bool("frozen")?,
                        None => false,
                    };
                    let output = node.output();
                    let channels = node.channels();
                    new_chunks.push((
                        start as u32,
                        ChunkSlot {
                            first: first + start as u32,
                            node,
                            output,
                            channels,
                            nslots: 0,
                            ring: Vec::new(),
                            conns: ConnTable::default(),
                            out: Vec::new(),
                            port_out: Vec::new(),
                            ports: Vec::new(),
                            emitted: Vec::new(),
                            samplers: Vec::new(),
                            archive: None,
                            seeded: false,
                            frozen,
                            wr_out: Vec::new(),
                            neuron: kind == NodeKind::Neuron,
                            live: Vec::new(),
                            live_gen: None,
                        },
                    ));
                    start += len;
                }
                for (s, c) in new_chunks {
                    pop.chunks.push((self.chunks.len(), s));
                    self.chunks.push(c);
                }
            }
        }
        self.pops.push(pop);
        self.next_gid += n as u32;
        Ok(NodeCollection::range(first, n))
    }

    /// The population that `nodes` is exactly (all of one Create call), for operations that
    /// configure a whole population.
    fn whole_population(&self, nodes: &NodeCollection, what: &str) -> Result<usize> {
        self.check_nodes(nodes)?;
        let first = nodes.first().ok_or_else(|| Error::bad_parameter(format!("{what}: empty node collection")))?;
        let pi = self.pops.partition_point(|p| p.first <= first) - 1;
        let p = &self.pops[pi];
        if p.first != first || p.n as usize != nodes.len() || nodes.ranges().len() != 1 {
            return Err(Error::bad_parameter(format!(
                "{what}: needs a whole population (the nodes of one Create call, here {}..={}), got {} node(s) starting at {first}",
                p.first,
                p.first + p.n - 1,
                nodes.len()
            )));
        }
        if p.kind == NodeKind::Recorder {
            return Err(Error::new(ErrorKind::IllegalConnection, format!("{what}: {} is a recording device", p.model)));
        }
        Ok(pi)
    }

    /// All nodes of the population (Create call) that `gid` belongs to.
    pub fn population_of(&self, gid: u32) -> Result<NodeCollection> {
        let pi = match self.locate(gid)? {
            Loc::Chunk { pop, .. } | Loc::Recorder { pop, .. } => pop,
        };
        Ok(NodeCollection::range(self.pops[pi].first, self.pops[pi].n as usize))
    }

    /// The unit of status entry `name` of node `gid`'s model (its schema), if it has one.
    pub fn unit_of(&self, gid: u32, name: &str) -> Result<Option<Unit>> {
        Ok(match self.locate(gid)? {
            Loc::Chunk { chunk, .. } => {
                let specs = self.chunks[chunk].node.table().specs();
                crate::schema::index_of(specs, name).map(|k| specs[k].unit)
            }
            Loc::Recorder { .. } => None,
        })
    }

    /// Adds an input port (receptor) described by `spec` to every node of a population and
    /// returns its receptor number for `receptor_type` (see [`Node::add_receptor`]).
    pub fn add_receptor(&mut self, nodes: &NodeCollection, spec: &Dict) -> Result<i64> {
        let pi = self.whole_population(nodes, "add_receptor")?;
        let chunks: Vec<usize> = self.pops[pi].chunks.iter().map(|c| c.0).collect();
        // All chunks of a population are configured alike; a refusal comes from the first one,
        // before anything changed.
        let mut id = None;
        for ci in chunks {
            let c = &mut self.chunks[ci];
            let r = c.node.add_receptor(spec).map_err(|e| {
                Error::new(e.kind, format!("{} (nodes {}..): {}", self.pops[pi].model, self.pops[pi].first, e.message))
            })?;
            if id.is_some_and(|x| x != r) {
                return Err(Error::new(ErrorKind::KernelException, "chunks of one population disagree on a receptor"));
            }
            id = Some(r);
            c.channels = c.node.channels();
        }
        id.ok_or_else(|| Error::bad_parameter("add_receptor: empty population"))
    }

    /// Adds an output port described by `spec` to every node of a population (see
    /// [`Node::add_output_port`]) and returns the ids that stand for the port's values: one per
    /// node, to be used as sources in `connect`. The values travel as current events (the target
    /// adds `weight * value` every step).
    pub fn add_output_port(&mut self, nodes: &NodeCollection, spec: &Dict) -> Result<NodeCollection> {
        let pi = self.whole_population(nodes, "add_output_port")?;
        if (self.next_gid as u64) + nodes.len() as u64 > u32::MAX as u64 {
            return Err(Error::bad_parameter("add_output_port: ids exhausted"));
        }
        let chunks: Vec<(usize, u32)> = self.pops[pi].chunks.clone();
        let first = self.next_gid;
        let n = self.pops[pi].n;
        let model = format!("{}:port", self.pops[pi].model);
        let mut port = None;
        for &(ci, _) in &chunks {
            let p = self.chunks[ci].node.add_output_port(spec).map_err(|e| {
                Error::new(e.kind, format!("{} (nodes {}..): {}", self.pops[pi].model, self.pops[pi].first, e.message))
            })?;
            port = Some(p);
        }
        let port = port.ok_or_else(|| Error::bad_parameter("add_output_port: empty population"))?;
        let mut pop =
            Population { first, n, model: model.clone(), kind: NodeKind::Stimulator, chunks: Vec::new(), rec_first: 0 };
        for &(ci, start) in &chunks {
            let len = self.chunks[ci].len();
            let slot = &mut self.chunks[ci];
            let idx = port as usize - 1;
            if slot.ports.len() <= idx {
                slot.ports.resize(idx + 1, (0, EventKind::Current));
            }
            slot.ports[idx] = (first + start, EventKind::Current);
            pop.chunks.push((self.chunks.len(), start));
            self.chunks.push(ChunkSlot {
                first: first + start,
                node: Box::new(PortNodes { n: len, table: ParamTable::new(&[], len) }),
                output: Some(EventKind::Current),
                channels: 0,
                nslots: 0,
                ring: Vec::new(),
                conns: ConnTable::default(),
                out: Vec::new(),
                port_out: Vec::new(),
                ports: Vec::new(),
                emitted: Vec::new(),
                samplers: Vec::new(),
                archive: None,
                seeded: false,
                frozen: false,
                wr_out: Vec::new(),
                neuron: false,
                live: Vec::new(),
                live_gen: None,
            });
        }
        self.pops.push(pop);
        self.next_gid += n;
        Ok(NodeCollection::range(first, n as usize))
    }

    fn locate(&self, gid: u32) -> Result<Loc> {
        if gid == 0 || gid >= self.next_gid {
            return Err(Error::new(
                ErrorKind::UnknownNode,
                format!("node {gid} does not exist (ids are 1..={})", self.next_gid - 1),
            ));
        }
        let pi = self.pops.partition_point(|p| p.first <= gid) - 1;
        let p = &self.pops[pi];
        let local = gid - p.first;
        if p.kind == NodeKind::Recorder {
            return Ok(Loc::Recorder { rec: p.rec_first + local as usize, pop: pi });
        }
        let ci = p.chunks.partition_point(|c| c.1 <= local) - 1;
        let (chunk, start) = p.chunks[ci];
        Ok(Loc::Chunk { chunk, local: (local - start) as usize, pop: pi })
    }

    /// NEST's `make_symmetric`: `pre → post` and then `post → pre` with the same parameters. Only
    /// `one_to_one` supports it, and every parameter must be reproducible (no random values).
    fn connect_symmetric(
        &mut self,
        pre: &NodeCollection,
        post: &NodeCollection,
        conn: &ConnSpec,
        syn: &SynSpec,
    ) -> Result<()> {
        if conn.rule != Rule::OneToOne {
            return Err(Error::new(
                ErrorKind::NotImplemented,
                format!("This connection rule does not support symmetric connections (rule {:?}).", conn.rule),
            ));
        }
        let random = |p: &Option<ParamValue>| matches!(p, Some(ParamValue::Random(_)));
        let random_param = syn.params.iter().find(|(_, v)| matches!(v, Value::Dict(_))).map(|(k, _)| k.as_str());
        if let Some(k) = [("weight", random(&syn.weight)), ("delay", random(&syn.delay))]
            .iter()
            .find(|(_, r)| *r)
            .map(|(k, _)| *k)
            .or(random_param)
        {
            return Err(Error::new(
                ErrorKind::NotImplemented,
                format!("Symmetric connections require parameters that can be reset; '{k}' is random."),
            ));
        }
        let one = ConnSpec { make_symmetric: false, ..conn.clone() };
        self.connect(pre, post, &one, syn)?;
        self.connect(post, pre, &one, syn)
    }

    /// The stimulation devices among `nodes`.
    fn stimulators_in(&self, nodes: &NodeCollection) -> Vec<u32> {
        let mut out = Vec::new();
        for &(a, b) in nodes.ranges() {
            let mut pi = self.pops.partition_point(|p| p.first <= a).saturating_sub(1);
            while let Some(p) = self.pops.get(pi).filter(|p| p.first <= b) {
                if p.kind == NodeKind::Stimulator {
                    let lo = a.max(p.first);
                    let hi = b.min(p.first + p.n - 1);
                    out.extend(lo..=hi);
                }
                pi += 1;
            }
        }
        out
    }

    /// Checks that every id of `nodes` exists.
    pub fn check_nodes(&self, nodes: &NodeCollection) -> Result<()> {
        for &(a, b) in nodes.ranges() {
            self.locate(a)?;
            self.locate(b)?;
        }
        Ok(())
    }

    /// The model name of node `gid`.
    pub fn model_of(&self, gid: u32) -> Result<&str> {
        let pop = match self.locate(gid)? {
            Loc::Chunk { pop, .. } | Loc::Recorder { pop, .. } => pop,
        };
        Ok(&self.pops[pop].model)
    }

    /// All nodes created so far (NEST 3's `GetNodes` without filter).
    pub fn all_nodes(&self) -> NodeCollection {
        NodeCollection::range(1, self.network_size())
    }

    /// GetStatus of one node.
    pub fn get_status(&self, gid: u32) -> Result<Dict> {
        let loc = self.locate(gid)?;
        let mut d = match loc {
            Loc::Chunk { chunk, local, .. } => {
                let mut d = node_status(self.chunks[chunk].node.as_ref(), local);
                d.insert("frozen".into(), Value::Bool(self.chunks[chunk].frozen));
                d
            }
            Loc::Recorder { rec, .. } => {
                let mut d = Dict::new();
                self.recorders[rec].status(self.h, &mut d);
                if let Some(b) = self.backends.iter().find(|b| b.name() == self.recorders[rec].record_to) {
                    // Before its first run, where the recorder will write (NEST names the file
                    // from the start).
                    let loc = b
                        .location(gid)
                        .or_else(|| b.planned_location(&recorder_info(&self.recorders[rec], b.as_ref(), self)));
                    if let Some(l) = loc {
                        d.insert("filenames".into(), Value::Array(vec![Value::Str(l)]));
                    }
                    d.extend(backend_params(b.as_ref(), &self.recorders[rec]));
                }
                d
            }
        };
        let pop = match loc {
            Loc::Chunk { pop, .. } | Loc::Recorder { pop, .. } => &self.pops[pop],
        };
        d.insert("model".into(), Value::Str(pop.model.clone()));
        if let Ok(mid) = self.registry.model_id(&pop.model) {
            d.insert("model_id".into(), Value::Int(mid as i64));
        }
        d.insert("global_id".into(), Value::Int(gid as i64));
        d.insert("element_type".into(), Value::Str(pop.kind.element_type().into()));
        d.insert("local".into(), Value::Bool(true));
        d.insert("thread".into(), Value::Int(0));
        d.insert("vp".into(), Value::Int(0));
        Ok(d)
    }

    /// SetStatus of one node; on error the node is unchanged.
    pub fn set_status(&mut self, gid: u32, d: &Dict) -> Result<()> {
        let loc = self.locate(gid)?;
        let mut d = d.clone();
        for k in ["model", "global_id", "element_type", "local", "thread", "vp", "recordables"] {
            if let Some(v) = d.get(k) {
                // NEST ignores a read-only entry given with its current value (e.g. a status dict
                // passed back); anything else is an error.
                let cur = self.get_status(gid)?.get(k).cloned();
                if cur.as_ref() != Some(v) {
                    return Err(Error::bad_property(format!("'{k}' is read-only and cannot be set")));
                }
                d.remove(k);
            }
        }
        match loc {
            Loc::Chunk { chunk, local, pop } => {
                let model = self.pops[pop].model.clone();
                let frozen = d.get("frozen").map(|v| v.as_bool("frozen")).transpose()?;
                if let Some(f) = frozen {
                    let c = &self.chunks[chunk];
                    if f != c.frozen && c.len() > 1 {
                        return Err(Error::new(
                            ErrorKind::NotImplemented,
                            format!(
                                "frozen: nestor freezes the nodes {}..={} (one block of a Create call) together; \
                                 set frozen for all of them in one SetStatus call",
                                c.first,
                                c.first + c.len() as u32 - 1
                            ),
                        ));
                    }
                }
                check_defaults_only(self.chunks[chunk].node.as_ref(), &d)?;
                apply_status(self.chunks[chunk].node.as_mut(), local, &d, &model)?;
                // Status may change a node's number of receptors (multisynapse models).
                let c = &mut self.chunks[chunk];
                c.channels = c.node.channels();
                if let Some(f) = frozen {
                    self.chunks[chunk].frozen = f;
                }
                Ok(())
            }
            Loc::Recorder { rec, .. } => {
                let mut r = self.recorders[rec].clone();
                if r.connected && d.contains_key("record_from") {
                    let new = d["record_from"].as_str_vec("record_from")?;
                    if new != r.record_from {
                        return Err(Error::bad_property(format!(
                            "record_from of {} {} cannot be changed after it has been connected",
                            r.model, r.gid
                        )));
                    }
                }
                set_recorder_status(&mut r, &d, self.h, &self.backends)?;
                self.recorders[rec] = r;
                self.dirty_samplers = true;
                Ok(())
            }
        }
    }

    /// SetStatus on every node of `nodes`: a single dict for all, or one dict per node.
    /// Checks all nodes first so that a failure changes nothing.
    pub fn set_status_all(&mut self, nodes: &NodeCollection, dicts: &[Dict]) -> Result<()> {
        if dicts.len() != 1 && dicts.len() != nodes.len() {
            return Err(Error::new(
                ErrorKind::RangeCheck,
                format!(
                    "SetStatus: {} dictionaries given for {} nodes (expected 1 or {})",
                    dicts.len(),
                    nodes.len(),
                    nodes.len()
                ),
            ));
        }
        self.check_nodes(nodes)?;
        // Entries given as distribution dictionaries (SLI's CreateParameter, PyNEST's
        // nest.random) are drawn once per node from a stream keyed by the node id and by this
        // call, so the values do not depend on threads or on how nodes are split into chunks.
        if dicts.iter().any(|d| d.values().any(is_distribution)) {
            self.status_draws += 1;
            let call = self.status_draws;
            let mut drawn = Vec::with_capacity(nodes.len());
            for (i, gid) in nodes.iter().enumerate() {
                let d = if dicts.len() == 1 { &dicts[0] } else { &dicts[i] };
                let mut rng = stream(self.rng_seed, Purpose::Node, gid as u64, call | (1 << 40));
                let mut out = Dict::new();
                for (k, v) in d {
                    let v = match v {
                        Value::Dict(dd) if is_distribution(v) => Value::Double(
                            crate::spec::Distribution::from_dict(dd, Unit::Dimensionless, k)?.sample(&mut rng),
                        ),
                        other => other.clone(),
                    };
                    out.insert(k.clone(), v);
                }
                drawn.push(out);
            }
            return self.set_status_all(nodes, &drawn);
        }
        // `frozen` is kept per chunk: a call that sets it for every node of some chunks changes
        // those chunks first, then the other entries are applied node by node.
        if nodes.len() > 1 && dicts.iter().any(|d| d.contains_key("frozen")) {
            let mut want: BTreeMap<usize, (bool, usize)> = BTreeMap::new();
            for (i, gid) in nodes.iter().enumerate() {
                let d = if dicts.len() == 1 { &dicts[0] } else { &dicts[i] };
                let Some(v) = d.get("frozen") else { continue };
                let f = v.as_bool("frozen")?;
                if let Loc::Chunk { chunk, .. } = self.locate(gid)? {
                    let e = want.entry(chunk).or_insert((f, 0));
                    if e.0 != f {
                        return Err(Error::new(
                            ErrorKind::NotImplemented,
                            "frozen: nestor freezes the nodes of one Create call together; \
                             give them the same value",
                        ));
                    }
                    e.1 += 1;
                }
            }
            if want.iter().all(|(&c, &(_, n))| n == self.chunks[c].len()) {
                let old: Vec<(usize, bool)> = want.keys().map(|&c| (c, self.chunks[c].frozen)).collect();
                for (&c, &(f, _)) in &want {
                    self.chunks[c].frozen = f;
                }
                let rest: Vec<Dict> = dicts
                    .iter()
                    .map(|d| d.iter().filter(|(k, _)| *k != "frozen").map(|(k, v)| (k.clone(), v.clone())).collect())
                    .collect();
                let r = self.set_status_all(nodes, &rest);
                if r.is_err() {
                    for (c, f) in old {
                        self.chunks[c].frozen = f;
                    }
                }
                return r;
            }
        }
        // Validate on a copy of each node's state first (transactional for the whole call).
        let snapshot: Vec<(u32, Dict)> =
            nodes.iter().map(|g| self.get_status(g).map(|s| (g, s))).collect::<Result<_>>()?;
        for (i, gid) in nodes.iter().enumerate() {
            let d = if dicts.len() == 1 { &dicts[0] } else { &dicts[i] };
            if let Err(e) = self.set_status(gid, d) {
                // Roll back the nodes changed so far.
                for (g, s) in snapshot.iter().take(i) {
                    let _ = self.restore(*g, s);
                }
                return Err(e);
            }
        }
        Ok(())
    }

    /// One value of a distribution dictionary (SLI's `GetValue` of a parameter), from the
    /// kernel's own stream for such draws (keyed by the seed and a call counter).
    pub fn draw_value(&mut self, dist: &Dict) -> Result<f64> {
        let d = crate::spec::Distribution::from_dict(dist, Unit::Dimensionless, "parameter")?;
        self.status_draws += 1;
        let mut rng = stream(self.rng_seed, Purpose::Node, 0, self.status_draws | (2 << 40));
        Ok(d.sample(&mut rng))
    }

    fn restore(&mut self, gid: u32, status: &Dict) -> Result<()> {
        if let Loc::Chunk { chunk, local, .. } = self.locate(gid)? {
            let node = self.chunks[chunk].node.as_mut();
            let specs = node.table().specs();
            for (k, s) in specs.iter().enumerate() {
                if let Some(v) = status.get(s.name) {
                    let x = s.from_value(v)?;
                    node.table_mut().set(k, local, x);
                }
            }
        }
        Ok(())
    }

    // ---------------------------------------------------------------- connections

    /// Connect `pre` to `post` with `conn` and `syn`. Nothing is connected on error.
    pub fn connect(
        &mut self,
        pre: &NodeCollection,
        post: &NodeCollection,
        conn: &ConnSpec,
        syn: &SynSpec,
    ) -> Result<()> {
        let t = Stopwatch::start();
        let r = self.connect_nodes(pre, post, conn, syn);
        t.stop(&mut self.sw_connect);
        r
    }

    fn connect_nodes(
        &mut self,
        pre: &NodeCollection,
        post: &NodeCollection,
        conn: &ConnSpec,
        syn: &SynSpec,
    ) -> Result<()> {
        if pre.is_empty() || post.is_empty() {
            return Err(Error::new(
                ErrorKind::IllegalConnection,
                format!(
                    "Connect: the {} node collection is empty; nothing can be connected",
                    if pre.is_empty() { "presynaptic" } else { "postsynaptic" }
                ),
            ));
        }
        self.check_nodes(pre)?;
        self.check_nodes(post)?;
        if conn.make_symmetric {
            return self.connect_symmetric(pre, post, conn, syn);
        }
        let sid = self.registry.synapse_id(syn.model.as_deref().unwrap_or("static_synapse"))?;
        let stimulators = self.stimulators_in(pre);
        if let Some(g) = stimulators.iter().find(|g| self.device_syn.get(g).is_some_and(|&s0| s0 != sid)) {
            let first = &self.registry.synapses[self.device_syn[g]].name;
            return Err(Error::new(
                ErrorKind::IllegalConnection,
                format!(
                    "All outgoing connections from a device must use the same synapse type: device {g} ({}) \
                     is connected with {first}, not {}",
                    self.model_of(*g)?,
                    self.registry.synapses[sid].name
                ),
            ));
        }
        let sentry = self.registry.synapses[sid].clone();
        let plastic = sentry.base.is_plastic();
        let mut syn_row = sentry.row.clone();
        // Schema entries given as arrays or distributions vary per connection (as weight and
        // delay); the others are fixed for this call.
        let specs = sentry.base.schema();
        let mut fixed = Dict::new();
        let mut varying = Vec::new();
        for (k, v) in &syn.params {
            match (crate::schema::index_of(specs, k), v) {
                (Some(i), Value::Array(_) | Value::DoubleVec(_) | Value::IntVec(_) | Value::Dict(_)) => {
                    varying.push((i, specs[i].name, ParamValue::from_value(v, specs[i].unit, k)?));
                }
                _ => {
                    fixed.insert(k.clone(), v.clone());
                }
            }
        }
        apply_synapse_row(&sentry, &fixed, &mut syn_row)?;
        // Checked here with a fixed weight (before anything is connected), per connection for
        // drawn or listed weights.
        match &syn.weight {
            None => sentry.base.validate(&syn_row, sentry.weight)?,
            Some(ParamValue::Scalar(w)) => sentry.base.validate(&syn_row, *w)?,
            Some(_) => {}
        }
        if sentry.base.common_weight() && syn.weight.is_some() {
            return Err(Error::bad_property(format!(
                "weight cannot be given per connection: all connections of {} share the model's weight; set it with SetDefaults or CopyModel",
                sentry.name
            )));
        }
        if plastic && sentry.base.needs_rng() {
            // Room for the connection's stream key (set per connection).
            syn_row.push(0.0);
        }
        let receptor = syn.receptor_type.unwrap_or(sentry.receptor_type);
        let weight = syn.weight.clone().unwrap_or(ParamValue::Scalar(sentry.weight));
        let delay = syn.delay.clone().unwrap_or(ParamValue::Scalar(sentry.delay));
        if let ParamValue::Scalar(d) = delay {
            self.check_delay(d)?;
        }
        let npre = pre.len();
        let npost = post.len();
        match conn.rule {
            Rule::OneToOne if npre != npost => {
                return Err(Error::bad_property(format!(
                    "one_to_one connect needs sources and targets of equal size, got {npre} and {npost}"
                )))
            }
            Rule::FixedIndegree(k) if !conn.allow_multapses && k > npre => {
                return Err(Error::bad_property(format!(
                    "indegree {k} is larger than the number of sources {npre} and multapses are not allowed"
                )))
            }
            Rule::FixedOutdegree(k) if !conn.allow_multapses && k > npost => {
                return Err(Error::bad_property(format!(
                    "outdegree {k} is larger than the number of targets {npost} and multapses are not allowed"
                )))
            }
            Rule::FixedTotalNumber(k) if !conn.allow_multapses && k > npre * npost => {
                return Err(Error::bad_property(format!(
                    "total number {k} is larger than the number of possible pairs {} and multapses are not allowed",
                    npre * npost
                )))
            }
            Rule::PairwiseBernoulli(p) if !(0.0..=1.0).contains(&p) => {
                return Err(Error::bad_parameter(format!("connection probability p must be in [0, 1], got {p}")))
            }
            _ => {}
        }
        if (npre == 0 || npost == 0) && conn.rule != Rule::OneToOne {
            return Ok(());
        }
        self.connect_calls += 1;
        let call = self.connect_calls;
        let snap: Vec<(usize, usize, (usize, usize))> = self.chunks.iter().map(|c| c.conns.staged_lens()).collect();
        let before = self.num_connections;
        let mut pc = PairCtx {
            sid,
            receptor,
            receptor_draw: syn.receptor_draw.as_ref(),
            weight: &weight,
            delay: &delay,
            min_delay: i64::MAX,
            max_delay: i64::MIN,
            samplers: BTreeMap::new(),
            spike_recs: Vec::new(),
            ds_spike_recs: Vec::new(),
            rec_conns: Vec::new(),
            tcache: None,
            scache: None,
            rcache: None,
            count: 0,
            call,
            plastic: plastic.then(|| (sentry.base.clone(), syn_row)),
            plastic_targets: Vec::new(),
            varying,
            scratch: Vec::new(),
        };
        let seed = self.rng_seed;
        let res = generate_pairs(seed, pre, post, conn, call, &mut |k, s, t, rng| pc.add(self, k, s, t, rng));
        match res {
            Ok(()) => {
                if pc.count > 0 {
                    for g in stimulators {
                        self.device_syn.entry(g).or_insert(sid);
                    }
                }
                let (mn, mx) = (pc.min_delay, pc.max_delay);
                if mn <= mx {
                    self.conn_delays = Some(match self.conn_delays {
                        Some((a, b)) => (a.min(mn), b.max(mx)),
                        None => (mn, mx),
                    });
                }
                for ((rec, chunk), (locals, vars)) in std::mem::take(&mut pc.samplers) {
                    self.recorders[rec].connected = true;
                    let c = &mut self.chunks[chunk];
                    match c.samplers.iter_mut().find(|x| x.rec == rec) {
                        Some(x) => x.locals.extend(locals),
                        None => c.samplers.push(Sampler {
                            rec,
                            locals,
                            vars: vars.clone(),
                            interval: 1,
                            offset: 0,
                            lo: 0,
                            hi: i64::MAX,
                            buf: Batch { values: vec![Vec::new(); vars.len()], ..Batch::default() },
                        }),
                    }
                }
                for (src, rec) in std::mem::take(&mut pc.spike_recs) {
                    self.recorders[rec].connected = true;
                    let v = self.spike_targets.entry(src).or_default();
                    if !v.contains(&rec) {
                        v.push(rec);
                    }
                }
                for (src, rec, rng) in std::mem::take(&mut pc.ds_spike_recs) {
                    self.recorders[rec].connected = true;
                    self.ds_spike_targets.entry(src).or_default().push((rec, rng));
                }
                self.rec_conns.append(&mut pc.rec_conns);
                let history = pc.plastic.as_ref().is_some_and(|(m, _)| m.needs_post_history());
                for (chunk, local) in std::mem::take(&mut pc.plastic_targets) {
                    let c = &mut self.chunks[chunk];
                    let n = c.len();
                    let ar = c.archive.get_or_insert_with(|| Archive::new(n));
                    // Only rules that read the history make the target keep (and prune) one.
                    if history {
                        ar.n_incoming[local] += 1;
                    }
                }
                self.num_connections = before + pc.count;
                self.dirty_samplers = true;
                Ok(())
            }
            Err(e) => {
                // Roll back everything this call staged.
                for (c, &(a, b, p)) in self.chunks.iter_mut().zip(&snap) {
                    c.conns.truncate_staged(a, b, p);
                }
                self.num_connections = before;
                Err(e)
            }
        }
    }

    fn check_delay(&self, d: f64) -> Result<i64> {
        let steps = steps_of(d, self.h);
        if !d.is_finite() || d < self.h * (1.0 - 1e-9) || steps < 1 {
            return Err(Error::new(
                ErrorKind::BadDelay,
                format!(
                    "delay {d} ms is smaller than the resolution {} ms; every delay must be at least one step",
                    self.h
                ),
            ));
        }
        if steps > u32::MAX as i64 / 4 {
            return Err(Error::new(ErrorKind::BadDelay, format!("delay {d} ms is too large")));
        }
        Ok(steps)
    }

    fn count_connections_of(&self, sid: usize) -> usize {
        // Staged connections count too: NEST reports them right after Connect.
        let n: usize = self.chunks.iter().map(|c| c.conns.count_of(sid as u16)).sum();
        n + self.rec_conns.iter().filter(|r| r.syn == sid).count()
    }

    fn finalize_connections(&mut self) {
        if self.chunks.iter().any(|c| c.conns.is_dirty()) {
            let run = |chunks: &mut Vec<ChunkSlot>| chunks.par_iter_mut().for_each(|c| c.conns.finalize());
            match &self.pool {
                Some(p) => p.install(|| run(&mut self.chunks)),
                None => self.chunks.iter_mut().for_each(|c| c.conns.finalize()),
            }
            self.generation += 1;
        }
    }

    /// GetConnections: all connections matching `filter`, ordered by synapse type, source, target.
    pub fn get_connections(&mut self, filter: &ConnFilter) -> Result<Vec<ConnectionInfo>> {
        if let Some(s) = &filter.source {
            self.check_nodes(s)?;
        }
        if let Some(t) = &filter.target {
            self.check_nodes(t)?;
        }
        let sid = match &filter.synapse_model {
            Some(m) => Some(self.registry.synapse_id(m)?),
            None => None,
        };
        self.finalize_connections();
        let mut out = Vec::new();
        for (ci, c) in self.chunks.iter().enumerate() {
            c.conns.for_each(|slot, src, tl, p| {
                let tgt = c.first + tl;
                if filter.source.as_ref().is_some_and(|s| !s.contains(src))
                    || filter.target.as_ref().is_some_and(|t| !t.contains(tgt))
                    || sid.is_some_and(|s| s != p.syn as usize)
                {
                    return;
                }
                out.push(ConnectionInfo {
                    source: src,
                    target: tgt,
                    synapse_model: self.registry.synapses[p.syn as usize].name.clone(),
                    weight: p.weight,
                    delay: step_to_ms(p.delay as i64, self.h),
                    receptor: p.receptor as i64,
                    id: ConnId::Stored { chunk: ci as u32, slot, generation: self.generation },
                });
            });
        }
        for (i, r) in self.rec_conns.iter().enumerate() {
            if filter.source.as_ref().is_some_and(|s| !s.contains(r.source))
                || filter.target.as_ref().is_some_and(|t| !t.contains(r.target))
                || sid.is_some_and(|s| s != r.syn)
            {
                continue;
            }
            out.push(ConnectionInfo {
                source: r.source,
                target: r.target,
                synapse_model: self.registry.synapses[r.syn].name.clone(),
                weight: r.weight,
                delay: r.delay,
                receptor: 0,
                id: ConnId::Recording(i as u32),
            });
        }
        // NEST lists connections by synapse type, then source (then target).
        let reg = &self.registry;
        out.sort_by_cached_key(|c| (reg.synapse_id(&c.synapse_model).unwrap_or(usize::MAX), c.source, c.target));
        Ok(out)
    }

    /// NEST's Disconnect of node collections: for every pair the rule makes (`one_to_one`: the
    /// i-th source with the i-th target; `all_to_all`: every source with every target) removes
    /// the oldest connection of synapse model `syn_model` from source to target. Every pair must
    /// have such a connection (else InexistentConnection, and nothing is removed). Connections
    /// to or from recording devices cannot be removed (NotImplemented). Returns the number
    /// removed; connection handles issued before become stale.
    pub fn disconnect(
        &mut self,
        pre: &NodeCollection,
        post: &NodeCollection,
        rule: &Rule,
        syn_model: &str,
    ) -> Result<usize> {
        self.check_nodes(pre)?;
        self.check_nodes(post)?;
        let sid = self.registry.synapse_id(syn_model)?;
        let pairs: Vec<(u32, u32)> = match rule {
            Rule::OneToOne => {
                if pre.len() != post.len() {
                    return Err(Error::new(
                        ErrorKind::BadProperty,
                        format!(
                            "Disconnect one_to_one: source and target collections must have the same size, got {} and {}",
                            pre.len(),
                            post.len()
                        ),
                    ));
                }
                pre.iter().zip(post.iter()).collect()
            }
            Rule::AllToAll => post.iter().flat_map(|t| pre.iter().map(move |s| (s, t))).collect(),
            other => {
                return Err(Error::new(
                    ErrorKind::NotImplemented,
                    format!("Disconnect supports the rules one_to_one and all_to_all, not {other:?}"),
                ))
            }
        };
        // Per chunk, how many connections to remove per (source, local target).
        let mut want: BTreeMap<usize, BTreeMap<(u32, u32), u32>> = BTreeMap::new();
        for &(s, t) in &pairs {
            let device_end = |gid: u32| -> Result<()> {
                Err(Error::new(
                    ErrorKind::NotImplemented,
                    format!(
                        "Disconnect: node {gid} is a recording device ({}); its connections cannot be removed",
                        self.model_of(gid)?
                    ),
                ))
            };
            if let Loc::Recorder { .. } = self.locate(s)? {
                device_end(s)?;
            }
            match self.locate(t)? {
                Loc::Chunk { chunk, local, .. } => {
                    *want.entry(chunk).or_default().entry((s, local as u32)).or_default() += 1;
                }
                Loc::Recorder { .. } => device_end(t)?,
            }
        }
        self.finalize_connections();
        let mut plan = Vec::with_capacity(want.len());
        for (ci, mut w) in want {
            let c = &self.chunks[ci];
            let mut slots = Vec::new();
            c.conns.for_each(|slot, src, tl, p| {
                if p.syn as usize == sid {
                    if let Some(n) = w.get_mut(&(src, tl)).filter(|n| **n > 0) {
                        *n -= 1;
                        slots.push(slot);
                    }
                }
            });
            if let Some((&(s, tl), _)) = w.iter().find(|(_, n)| **n > 0) {
                return Err(Error::new(
                    ErrorKind::InexistentConnection,
                    format!(
                        "Disconnect: there is no {syn_model} connection from node {s} to node {} left to remove",
                        c.first + tl
                    ),
                ));
            }
            plan.push((ci, slots));
        }
        Ok(self.remove_connections(plan))
    }

    /// Removes the given connections (a SynapseCollection's `disconnect`). The handles must be
    /// current (not stale); connections to or from recording devices cannot be removed.
    pub fn disconnect_connections(&mut self, conns: &[ConnectionInfo]) -> Result<usize> {
        let mut by_chunk: BTreeMap<usize, Vec<Slot>> = BTreeMap::new();
        for c in conns {
            match c.id {
                ConnId::Recording(_) => {
                    return Err(Error::new(
                        ErrorKind::NotImplemented,
                        format!(
                            "Disconnect: the connection {} → {} involves a recording device; it cannot be removed",
                            c.source, c.target
                        ),
                    ))
                }
                id => {
                    let (chunk, slot, _) = self.conn_prop(id)?;
                    by_chunk.entry(chunk).or_default().push(slot);
                }
            }
        }
        Ok(self.remove_connections(by_chunk.into_iter().collect()))
    }

    fn remove_connections(&mut self, plan: Vec<(usize, Vec<Slot>)>) -> usize {
        let removed: usize = plan.into_iter().map(|(ci, slots)| self.chunks[ci].conns.remove(&slots)).sum();
        self.num_connections -= removed;
        // Slots moved: handles issued before are stale, and channels may have lost their input.
        self.generation += 1;
        removed
    }

    fn conn_prop(&self, id: ConnId) -> Result<(usize, Slot, Prop)> {
        match id {
            ConnId::Stored { chunk, slot, generation } => {
                if generation != self.generation {
                    return Err(Error::new(
                        ErrorKind::KernelException,
                        "connection handle is stale: connections were added since GetConnections; call GetConnections again",
                    ));
                }
                let c = self
                    .chunks
                    .get(chunk as usize)
                    .ok_or_else(|| Error::new(ErrorKind::UnknownNode, "unknown connection"))?;
                let p = c.conns.prop(slot).ok_or_else(|| Error::new(ErrorKind::UnknownNode, "unknown connection"))?;
                Ok((chunk as usize, slot, p))
            }
            ConnId::Recording(_) => Err(Error::new(ErrorKind::KernelException, "not a stored connection")),
        }
    }

    /// GetStatus of a connection.
    pub fn connection_status(&self, info: &ConnectionInfo) -> Result<Dict> {
        let (weight, delay, syn, receptor) = match info.id {
            ConnId::Recording(i) => {
                let r = self
                    .rec_conns
                    .get(i as usize)
                    .ok_or_else(|| Error::new(ErrorKind::UnknownNode, "unknown connection"))?;
                (r.weight, r.delay, r.syn, 0)
            }
            id => {
                let (_, _, p) = self.conn_prop(id)?;
                (p.weight, step_to_ms(p.delay as i64, self.h), p.syn as usize, p.receptor as i64)
            }
        };
        let mut d = Dict::new();
        d.insert("source".into(), Value::Int(info.source as i64));
        d.insert("target".into(), Value::Int(info.target as i64));
        d.insert("weight".into(), Value::Double(weight));
        d.insert("delay".into(), Value::Double(delay));
        d.insert("receptor".into(), Value::Int(receptor));
        d.insert("synapse_model".into(), Value::Str(self.registry.synapses[syn].name.clone()));
        d.insert("synapse_id".into(), Value::Int(syn as i64));
        d.insert("target_thread".into(), Value::Int(0));
        d.insert("port".into(), Value::Int(0));
        let entry = &self.registry.synapses[syn];
        for (spec, x) in entry.base.common_schema().iter().zip(&entry.common) {
            d.insert(spec.name.into(), spec.to_value(*x));
        }
        if let ConnId::Stored { chunk, slot: Slot::Plastic(i), .. } = info.id {
            let specs = self.registry.synapses[syn].base.schema();
            if let Some(row) = self.chunks[chunk as usize].conns.plastic_row(i) {
                for (spec, x) in specs.iter().zip(row) {
                    d.insert(spec.name.into(), spec.to_value(*x));
                }
            }
        }
        Ok(d)
    }

    /// SetStatus of a connection (weight, delay).
    pub fn set_connection_status(&mut self, info: &ConnectionInfo, d: &Dict) -> Result<()> {
        if let ConnId::Recording(i) = info.id {
            let mut r = self
                .rec_conns
                .get(i as usize)
                .cloned()
                .ok_or_else(|| Error::new(ErrorKind::UnknownNode, "unknown connection"))?;
            for (k, v) in d {
                match k.as_str() {
                    "weight" => r.weight = v.as_f64(k)?,
                    "delay" => {
                        let x = v.as_f64_in(Unit::Millisecond, k)?;
                        self.check_delay(x)?;
                        r.delay = x;
                    }
                    "source" | "target" | "synapse_model" | "synapse_id" | "receptor" | "target_thread" | "port" => {}
                    other => return Err(Error::bad_property(format!("connection has no parameter '{other}'"))),
                }
            }
            self.rec_conns[i as usize] = r;
            return Ok(());
        }
        let (chunk, slot, mut p) = self.conn_prop(info.id)?;
        let model = self.registry.synapses[p.syn as usize].base.clone();
        let specs = model.schema();
        let mut row: Vec<f64> = match slot {
            Slot::Plastic(i) => self.chunks[chunk].conns.plastic_row(i).map(<[f64]>::to_vec).unwrap_or_default(),
            _ => Vec::new(),
        };
        for (k, v) in d {
            if let Some(i) = crate::schema::index_of(specs, k).filter(|&i| i < row.len()) {
                row[i] = specs[i].from_value(v)?;
                continue;
            }
            if crate::schema::index_of(model.common_schema(), k).is_some() {
                return Err(Error::bad_property(format!(
                    "'{k}' is a common property of {}; set it with SetDefaults or CopyModel",
                    model.name()
                )));
            }
            match k.as_str() {
                "weight" if model.common_weight() => {
                    return Err(Error::bad_property(format!(
                        "setting individual weights is not possible: all connections of {} share the model's weight; change it with SetDefaults or CopyModel",
                        self.registry.synapses[p.syn as usize].name
                    )));
                }
                "weight" => {
                    let w = match v {
                        Value::Quantity(q) => q.si,
                        _ => v.as_f64(k)?,
                    };
                    let kind = self.output_of(info.source)?;
                    let route = self.chunks[chunk].node.route(p.receptor as i64, kind, w)?;
                    p.weight = w;
                    p.route = route;
                }
                "delay" => {
                    let x = v.as_f64_in(Unit::Millisecond, k)?;
                    let s = self.check_delay(x)?;
                    p.delay = s as u32;
                }
                "source" | "target" | "synapse_model" | "synapse_id" | "receptor" | "target_thread" | "port" => {}
                other => return Err(Error::bad_property(format!("connection has no parameter '{other}'"))),
            }
        }
        if let Slot::Plastic(i) = slot {
            model.validate(&row, p.weight)?;
            self.chunks[chunk].conns.set_plastic_row(i, &row);
        }
        let d = p.delay as i64;
        self.conn_delays = Some(match self.conn_delays {
            Some((a, b)) => (a.min(d), b.max(d)),
            None => (d, d),
        });
        self.chunks[chunk].conns.set_prop(slot, p);
        Ok(())
    }

    fn output_of(&self, gid: u32) -> Result<EventKind> {
        match self.locate(gid)? {
            Loc::Chunk { chunk, .. } => self.chunks[chunk]
                .output
                .ok_or_else(|| Error::new(ErrorKind::IllegalConnection, format!("node {gid} sends no events"))),
            Loc::Recorder { .. } => Err(Error::new(ErrorKind::IllegalConnection, format!("node {gid} is a recorder"))),
        }
    }

    // ---------------------------------------------------------------- simulation

    /// Prepares a run: finalizes connections, sizes ring buffers, calibrates nodes, enrolls
    /// recorders with their backends.
    fn prepare(&mut self) -> Result<()> {
        self.finalize_connections();
        let (mind, maxd) = self.delay_extrema();
        let nslots = (mind + maxd) as usize;
        let env = Env { resolution: self.h, now: self.now, min_delay: mind, max_delay: maxd };
        for c in &mut self.chunks {
            if !c.seeded {
                c.node.seed_streams(self.rng_seed, c.first);
                c.seeded = true;
            }
            c.node.prepare(&env)?;
        }
        let now = self.now;
        let horizon = step_to_ms(mind + maxd, self.h);
        let generation = self.generation;
        for c in &mut self.chunks {
            c.resize_ring(nslots, now);
            c.update_live_channels(generation);
            if let Some(ar) = &mut c.archive {
                ar.horizon = horizon;
                let specs = c.node.table().specs();
                let (km, kt) =
                    (crate::schema::index_of(specs, "tau_minus"), crate::schema::index_of(specs, "tau_minus_triplet"));
                // A model without them keeps NEST's defaults.
                for i in 0..ar.len() {
                    let tau = |k: Option<usize>, default: f64| k.map_or(default, |k| c.node.table().get(k, i));
                    ar.set_time_constants(
                        i,
                        tau(km, crate::archive::DEFAULT_TAUS.0),
                        tau(kt, crate::archive::DEFAULT_TAUS.1),
                    );
                }
            }
        }
        // Devices that draw per target get copies of their connections' streams (see
        // `Node::observe_target_streams`).
        for ci in 0..self.chunks.len() {
            if self.chunks[ci].output != Some(EventKind::GaussianCurrentDraw) {
                continue;
            }
            for local in 0..self.chunks[ci].len() {
                let gid = self.chunks[ci].first + local as u32;
                let streams: Vec<Pcg64Mcg> = self.chunks.iter().flat_map(|c| c.conns.streams_of(gid)).collect();
                self.chunks[ci].node.observe_target_streams(local, streams);
            }
        }
        if self.now == 0 {
            self.send_initial_port_values();
        }
        if self.dirty_samplers {
            let h = self.h;
            for c in &mut self.chunks {
                for s in &mut c.samplers {
                    let r = &self.recorders[s.rec];
                    s.interval = steps_of(r.interval, h).max(1);
                    s.offset = steps_of(r.offset, h);
                    s.lo = steps_of(r.origin + r.start, h);
                    s.hi = if r.stop < 1e300 { steps_of(r.origin + r.stop, h) } else { i64::MAX };
                    if s.buf.values.len() != s.vars.len() {
                        s.buf.values = vec![Vec::new(); s.vars.len()];
                    }
                }
            }
            self.dirty_samplers = false;
        }
        let h = self.h;
        for r in &mut self.recorders {
            r.set_window(h);
        }
        for i in 0..self.recorders.len() {
            let r = &self.recorders[i];
            if r.record_to == "memory" {
                continue;
            }
            let bi = self
                .backends
                .iter()
                .position(|b| b.name() == r.record_to)
                .ok_or_else(|| Error::bad_property(format!("unknown recording backend '{}'", r.record_to)))?;
            let info = recorder_info(r, self.backends[bi].as_ref(), self);
            self.backends[bi].enroll(&info)?;
        }
        Ok(())
    }

    /// NEST's Prepare: starts a series of [`Kernel::run`] calls that recording backends treat
    /// as one run (NEST's ascii backend, for one, opens its files once per series).
    pub fn begin_runs(&mut self) -> Result<()> {
        if self.in_runs {
            return Err(Error::new(
                ErrorKind::KernelException,
                "Prepare: the kernel is already prepared; call Cleanup first",
            ));
        }
        self.in_runs = true;
        Ok(())
    }

    /// NEST's Run: simulates `t` ms within a series begun by [`Kernel::begin_runs`].
    pub fn run(&mut self, t: f64) -> Result<()> {
        if !self.in_runs {
            return Err(Error::new(ErrorKind::KernelException, "Run: call Prepare first"));
        }
        self.simulate(t)
    }

    /// NEST's Cleanup: ends a series of runs; backends close what they opened for it.
    pub fn end_runs(&mut self) -> Result<()> {
        self.in_runs = false;
        let mut first_err = None;
        for b in &mut self.backends {
            if let Err(e) = b.cleanup() {
                first_err.get_or_insert(e);
            }
        }
        first_err.map_or(Ok(()), Err)
    }

    /// Simulate for `t` ms (a multiple of the resolution): NEST's Prepare, Run and Cleanup, or
    /// only Run within a series begun by [`Kernel::begin_runs`].
    pub fn simulate(&mut self, t: f64) -> Result<()> {
        let cpu0 = process_cpu_seconds();
        let r = self.simulate_steps(t);
        self.sw_simulate_cpu += process_cpu_seconds() - cpu0;
        r
    }

    fn simulate_steps(&mut self, t: f64) -> Result<()> {
        if !t.is_finite() || t < 0.0 {
            return Err(Error::bad_parameter(format!(
                "Simulate: time must be a finite non-negative number of ms, got {t}"
            )));
        }
        let steps = (t / self.h).round() as i64;
        if ((steps as f64) * self.h - t).abs() > 1e-9 * t.max(1.0) {
            return Err(Error::bad_parameter(format!(
                "Simulate: time {t} ms is not a multiple of the resolution {} ms",
                self.h
            )));
        }
        let tp = std::time::Instant::now();
        // NEST counts the spikes of each Run (a Run of 0 ms keeps the count).
        if steps > 0 {
            self.local_spike_counter = 0;
        }
        self.prepare()?;
        if !self.keep_source_table && self.chunks.iter().any(|c| c.conns.reads_senders()) {
            return Err(Error::new(
                ErrorKind::KernelException,
                "binary neurons need the sender of every spike; set keep_source_table to true",
            ));
        }
        self.timers[0] += tp.elapsed().as_secs_f64();
        let (mind, _) = self.delay_extrema();
        let end = self.now + steps;
        let syn = self.syn_tables();
        let mut result = Ok(());
        while self.now < end {
            if self.interrupt.swap(false, Ordering::SeqCst) {
                result = Err(Error::new(
                    ErrorKind::Interrupted,
                    format!("simulation interrupted at {} ms; the kernel is consistent and can continue", self.time()),
                ));
                break;
            }
            let to = (self.now + mind).min(end);
            if let Err(e) = self.run_slice(self.now, to, &syn) {
                result = Err(e);
                break;
            }
            self.now = to;
        }
        let in_runs = self.in_runs;
        for b in &mut self.backends {
            if let Err(e) = if in_runs { b.flush() } else { b.flush().and_then(|_| b.cleanup()) } {
                if result.is_ok() {
                    result = Err(e);
                }
            }
        }
        result
    }

    /// Shorthand: Simulate, accepting a uom time.
    pub fn simulate_time(&mut self, t: uom::si::f64::Time) -> Result<()> {
        self.simulate(t.get::<uom::si::time::millisecond>())
    }

    /// Delivers the port values of the initial state (see [`Node::initial_port_values`]) as
    /// events stamped 0, so that they arrive in step 0 like the values of step t arrive in t + 1.
    fn send_initial_port_values(&mut self) {
        let mut events = Vec::new();
        for c in &mut self.chunks {
            if c.ports.is_empty() {
                continue;
            }
            c.port_out.clear();
            let mut out = Vec::new();
            c.node.initial_port_values(&mut Emitter { out: &mut out, ports: Some(&mut c.port_out) });
            for e in &c.port_out {
                if let Some(&(first, kind)) = c.ports.get((e.port as usize).wrapping_sub(1)) {
                    events.push(Ev { stamp: 0, source: first + e.local, kind, mult: 1, a: e.a, b: 0.0 });
                }
            }
            c.port_out.clear();
        }
        if events.is_empty() {
            return;
        }
        events.sort_by_key(|e| (e.stamp, e.source));
        let syn = self.syn_tables();
        let (h, seed) = (self.h, self.rng_seed);
        for c in &mut self.chunks {
            c.deliver(&events, &syn, h, seed);
        }
    }

    /// The synapse tables delivery reads (fixed for the duration of one Simulate).
    fn syn_tables(&self) -> SynTables {
        let wr: Vec<Option<u32>> = self
            .registry
            .synapses
            .iter()
            .map(|s| s.weight_recorder.and_then(|g| self.recorders.iter().position(|r| r.gid == g)).map(|i| i as u32))
            .collect();
        let any_wr = wr.iter().any(Option::is_some);
        let mut devices: Vec<u32> = if any_wr { self.device_syn.keys().copied().collect() } else { Vec::new() };
        devices.sort_unstable();
        SynTables {
            models: self.registry.synapses.iter().map(|s| (s.base.clone(), s.common.clone())).collect(),
            any_wr,
            wr,
            devices,
        }
    }

    fn run_slice(&mut self, from: i64, to: i64, syn: &SynTables) -> Result<()> {
        let h = self.h;
        let t0 = std::time::Instant::now();
        let update = |chunks: &mut Vec<ChunkSlot>| chunks.par_iter_mut().for_each(|c| c.run(from, to, h));
        match &self.pool {
            Some(p) => p.install(|| update(&mut self.chunks)),
            None => self.chunks.iter_mut().for_each(|c| c.run(from, to, h)),
        }
        for c in &mut self.chunks {
            if let Some(f) = c.node.failure() {
                let gid = c.first + f.local as u32;
                let model =
                    self.pops.iter().find(|p| p.first <= gid && gid < p.first + p.n).map_or("?", |p| p.model.as_str());
                return Err(Error::new(
                    ErrorKind::NumericalInstability,
                    format!("node {gid} ({model}) at t = {} ms: {}", step_to_ms(f.step, h), f.message),
                ));
            }
        }
        let t1 = std::time::Instant::now();
        let mut events = std::mem::take(&mut self.events);
        events.clear();
        for c in &mut self.chunks {
            if c.neuron {
                let spikes = c.emitted.iter().filter(|e| e.kind == EventKind::Spike);
                self.local_spike_counter += spikes.map(|e| u64::from(e.mult)).sum::<u64>();
            }
            events.append(&mut c.emitted);
        }
        events.sort_by_key(|e| (e.stamp, e.source));
        let ev = &events;
        let models = syn;
        let seed = self.rng_seed;
        let deliver = |chunks: &mut Vec<ChunkSlot>| chunks.par_iter_mut().for_each(|c| c.deliver(ev, models, h, seed));
        match &self.pool {
            Some(p) => p.install(|| deliver(&mut self.chunks)),
            None => self.chunks.iter_mut().for_each(|c| c.deliver(ev, models, h, seed)),
        }
        let t2 = std::time::Instant::now();
        // Spike recorders.
        let mut batches: BTreeMap<usize, Batch> = BTreeMap::new();
        let mut spins: BTreeMap<usize, Vec<(u32, i64, u32)>> = BTreeMap::new();
        if !self.ds_spike_targets.is_empty() {
            for e in events.iter().filter(|e| e.kind == EventKind::PoissonDraw) {
                let Some(recs) = self.ds_spike_targets.get_mut(&e.source) else { continue };
                let table = if e.b > 0.0 { PoissonTable::brainpy(e.b, e.a) } else { PoissonTable::new(e.a) };
                for (r, rng) in recs.iter_mut() {
                    // Drawn whether or not the recorder is active, as NEST draws before the
                    // recorder looks at the stamp.
                    let n = table.sample(rng);
                    let rec = &self.recorders[*r];
                    if n == 0 || !rec.in_window(e.stamp) {
                        continue;
                    }
                    let b = batches.entry(*r).or_default();
                    for _ in 0..n {
                        b.senders.push(e.source);
                        b.steps.push(e.stamp);
                    }
                }
            }
        }
        if !self.spike_targets.is_empty() {
            for e in events.iter().filter(|e| e.kind == EventKind::Spike) {
                if let Some(recs) = self.spike_targets.get(&e.source) {
                    for &r in recs {
                        let rec = &self.recorders[r];
                        if !rec.in_window(e.stamp) {
                            continue;
                        }
                        if rec.mode == RecorderMode::Spins {
                            spins.entry(r).or_default().push((e.source, e.stamp, e.mult));
                            continue;
                        }
                        let b = batches.entry(r).or_default();
                        for _ in 0..e.mult.max(1) {
                            b.senders.push(e.source);
                            b.steps.push(e.stamp);
                        }
                    }
                }
            }
        }
        for (r, mut evs) in spins {
            // NEST delivers a slice's events sender by sender, then in time.
            evs.sort_by_key(|&(src, stamp, _)| (src, stamp));
            batches.insert(r, decode_spins(&evs));
        }
        // Weight recorders: events of every chunk in a canonical order (stamp, source, target,
        // synapse type, then delivery order), so the record does not depend on threads.
        if syn.any_wr {
            let mut wev: Vec<(crate::conn::WeightEvent, u32)> = Vec::new();
            for c in &mut self.chunks {
                let first = c.first;
                wev.extend(c.wr_out.drain(..).map(|e| (e, first + e.target)));
            }
            wev.sort_by_key(|(e, t)| (e.stamp, e.source, *t, e.syn));
            for (e, t) in wev {
                let r = e.rec as usize;
                let rec = &self.recorders[r];
                if !rec.in_window(e.stamp)
                    || (!rec.senders.is_empty() && !rec.senders.contains(&e.source))
                    || (!rec.targets.is_empty() && !rec.targets.contains(&t))
                {
                    continue;
                }
                let b = batches.entry(r).or_default();
                if b.values.len() < 4 {
                    b.values.resize(4, Vec::new());
                }
                b.senders.push(e.source);
                b.steps.push(e.stamp);
                b.values[0].push(e.weight);
                b.values[1].push(t as f64);
                b.values[2].push(e.receptor as f64);
                b.values[3].push(0.0);
            }
        }
        // Samplers.
        for c in &mut self.chunks {
            for s in &mut c.samplers {
                if s.buf.is_empty() {
                    continue;
                }
                let b = batches.entry(s.rec).or_default();
                b.extend(&s.buf);
                s.buf.clear();
            }
        }
        // NEST hands events over slice by slice, each slice ordered by sender, then time.
        for b in batches.values_mut() {
            if !b.senders.iter().zip(&b.steps).is_sorted() {
                let mut idx: Vec<usize> = (0..b.len()).collect();
                idx.sort_by_key(|&i| (b.senders[i], b.steps[i]));
                *b = Batch {
                    senders: idx.iter().map(|&i| b.senders[i]).collect(),
                    steps: idx.iter().map(|&i| b.steps[i]).collect(),
                    values: b.values.iter().map(|col| idx.iter().map(|&i| col[i]).collect()).collect(),
                };
            }
        }
        let ready = std::mem::replace(&mut self.pending, batches);
        let result = self.hand_over(ready);
        self.events = events;
        let t3 = std::time::Instant::now();
        self.timers[1] += (t1 - t0).as_secs_f64();
        self.timers[2] += (t2 - t1).as_secs_f64();
        self.timers[3] += (t3 - t2).as_secs_f64();
        result
    }

    /// Gives recorders (memory or backend) the data of finished slices.
    fn hand_over(&mut self, ready: BTreeMap<usize, Batch>) -> Result<()> {
        let h = self.h;
        let mut result = Ok(());
        for (r, b) in ready {
            let rec = &mut self.recorders[r];
            rec.n_events += b.len();
            if rec.record_to == "memory" {
                rec.events.extend(&b);
            } else if let Some(be) = self.backends.iter_mut().find(|x| x.name() == rec.record_to) {
                if let Err(e) = be.write(rec.gid, &b, h) {
                    result = Err(e);
                }
            }
        }
        result
    }

    /// Hands the recorders the data of the last slice now instead of with the next Simulate
    /// (NEST keeps it back; brainpy.state records every step at once). Results are unchanged.
    pub fn flush_recorders(&mut self) -> Result<()> {
        let ready = std::mem::take(&mut self.pending);
        let r = self.hand_over(ready);
        for b in &mut self.backends {
            b.flush()?;
        }
        r
    }

    /// Plastic connection storage of all chunks: (bytes, number of plastic connections).
    pub fn plastic_memory(&self) -> (usize, usize) {
        self.chunks.iter().filter_map(|c| c.conns.plastic_bytes()).fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
    }

    /// Bytes used by connection storage (all chunks).
    pub fn connection_memory_bytes(&self) -> usize {
        self.chunks.iter().map(|c| c.conns.memory_bytes()).sum()
    }

    /// Number of connections.
    pub fn num_connections(&self) -> usize {
        self.num_connections
    }
}

/// The unit symbol of a well-known recordable name (for file attributes).
fn unit_of_recordable(name: &str) -> &'static str {
    if name.starts_with("V_") || name.starts_with("E_") {
        "mV"
    } else if name.starts_with("I") {
        "pA"
    } else if name.starts_with("g_") || name.starts_with("g") {
        "nS"
    } else {
        ""
    }
}

/// Status dict of node `i` of a chunk.
fn node_status(node: &dyn Node, i: usize) -> Dict {
    let mut d = Dict::new();
    node.table().write_dict(i, &mut d);
    node.get_extra(i, &mut d);
    let rec = node.recordables();
    if !rec.is_empty() {
        d.insert("recordables".into(), Value::Array(rec.iter().map(|s| Value::Str(s.to_string())).collect()));
    }
    d
}

/// Applies `d` to node `i`: converts and validates a copy, then commits.
/// NEST refuses, on a node, the keys its model allows only as defaults.
fn check_defaults_only(node: &dyn Node, d: &Dict) -> Result<()> {
    match node.defaults_only().iter().find(|k| d.contains_key(**k)) {
        Some(k) => Err(Error::bad_property(format!(
            "The {k} property can only be set as a model default using SetDefaults or upon CopyModel."
        ))),
        None => Ok(()),
    }
}

fn apply_status(node: &mut dyn Node, i: usize, d: &Dict, model: &str) -> Result<()> {
    let mut row = node.table().row(i);
    let rest = node.table().apply(d, &mut row, model)?;
    let rest: Vec<(&str, &Value)> = rest
        .into_iter()
        .filter(|(k, _)| {
            !matches!(*k, "model" | "global_id" | "element_type" | "local" | "thread" | "vp" | "recordables" | "frozen")
        })
        .collect();
    if let Some(v) = d.get("frozen") {
        v.as_bool("frozen")?;
    }
    node.validate(&row)?;
    validate_archiving(node.table().specs(), &row)?;
    node.set_extra(i, &rest, &row, model)?;
    node.table_mut().set_row(i, &row);
    Ok(())
}

/// Whether a status value is a distribution dictionary (`<< /distribution /normal ... >>`).
fn is_distribution(v: &Value) -> bool {
    matches!(v, Value::Dict(d) if d.contains_key("distribution"))
}

/// NEST's checks of the archiving node (every neuron that STDP synapses can target): the
/// time constants of the postsynaptic traces, where the model has them, must be positive.
fn validate_archiving(specs: &[crate::schema::ParamSpec], row: &[f64]) -> Result<()> {
    for name in ["tau_minus", "tau_minus_triplet"] {
        if let Some(k) = crate::schema::index_of(specs, name) {
            if row[k] <= 0.0 {
                return Err(Error::bad_property(format!(
                    "All time constants must be strictly positive (got {name} = {} ms).",
                    row[k]
                )));
            }
        }
    }
    Ok(())
}

/// Applies the synapse-specific entries of `d` (keys of the model's schema) to `row`; any other
/// key is an error. The caller validates the row (it knows the weight).
fn apply_synapse_row(s: &SynapseEntry, d: &Dict, row: &mut [f64]) -> Result<()> {
    let specs = s.base.schema();
    for (k, v) in d {
        match crate::schema::index_of(specs, k) {
            Some(i) => row[i] = specs[i].from_value(v)?,
            None if crate::schema::index_of(s.base.common_schema(), k).is_some() => {
                return Err(Error::bad_property(format!(
                    "'{k}' is a common property of {}; set it with SetDefaults or CopyModel, not per connection",
                    s.name
                )));
            }
            None => {
                let mut known: Vec<&str> = specs.iter().map(|p| p.name).collect();
                known.extend(["weight", "delay", "receptor_type", "synapse_model"]);
                return Err(Error::bad_property(format!(
                    "synapse model {} has no parameter '{k}'{}",
                    s.name,
                    hint(k, known.iter().copied())
                )));
            }
        }
    }
    Ok(())
}

fn apply_synapse_defaults(s: &mut SynapseEntry, d: &Dict, h: f64) -> Result<()> {
    let mut row = s.row.clone();
    let mut own = Dict::new();
    let mut common = s.common.clone();
    let cspecs = s.base.common_schema();
    for (k, v) in d {
        if crate::schema::index_of(s.base.schema(), k).is_some() {
            own.insert(k.clone(), v.clone());
        } else if let Some(i) = crate::schema::index_of(cspecs, k) {
            common[i] = cspecs[i].from_value(v)?;
            own.insert(k.clone(), v.clone());
        }
    }
    s.base.validate_common(&common)?;
    // The new weight takes part in the model's checks (NEST sets all entries, then checks, e.g.
    // that weight and Wmax of stdp_synapse have the same sign).
    if let Some(v) = d.get("weight") {
        s.weight = v.as_f64("weight")?;
    }
    let own_row: Dict = own
        .iter()
        .filter(|(k, _)| crate::schema::index_of(cspecs, k).is_none())
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    apply_synapse_row(s, &own_row, &mut row)?;
    for (k, v) in d {
        if own.contains_key(k) {
            continue;
        }
        match k.as_str() {
            "weight" => s.weight = v.as_f64(k)?,
            "delay" => {
                let x = v.as_f64_in(Unit::Millisecond, k)?;
                if x < h * (1.0 - 1e-9) {
                    return Err(Error::new(
                        ErrorKind::BadDelay,
                        format!("delay {x} ms is smaller than the resolution {h} ms"),
                    ));
                }
                s.delay = x;
            }
            "receptor_type" => s.receptor_type = v.as_i64(k)?,
            "synapse_model" | "synapse_modelid" | "num_connections" => {}
            other => {
                return Err(Error::bad_property(format!(
                    "synapse model {} has no parameter '{other}'{}",
                    s.name,
                    hint(other, ["weight", "delay", "receptor_type"])
                )))
            }
        }
    }
    s.base.validate(&row, s.weight)?;
    s.row = row;
    s.common = common;
    Ok(())
}

/// The backend-specific properties of recorder `r`: the backend's defaults with `r`'s values.
/// What backend `b` is told about recorder `r` (at enrolment, and for its planned location).
fn recorder_info(r: &RecorderState, b: &dyn RecordingBackend, k: &Kernel) -> RecorderInfo {
    RecorderInfo {
        gid: r.gid,
        model: r.model.clone(),
        label: r.label.clone(),
        record_from: r.record_from.clone(),
        units: r.record_from.iter().map(|v| unit_of_recordable(v).to_string()).collect(),
        resolution: k.h,
        interval: if matches!(r.mode, RecorderMode::Sampler { .. }) { r.interval } else { 0.0 },
        seed: k.rng_seed,
        data_path: k.data_path.clone(),
        data_prefix: k.data_prefix.clone(),
        overwrite_files: k.overwrite_files,
        time_in_steps: r.time_in_steps,
        params: backend_params(b, r),
    }
}

fn backend_params(b: &dyn RecordingBackend, r: &RecorderState) -> Dict {
    let mut d = b.recorder_params();
    for (k, v) in d.iter_mut() {
        if let Some(x) = r.backend_params.get(k) {
            *v = x.clone();
        }
    }
    d
}

fn set_recorder_status(r: &mut RecorderState, d: &Dict, h: f64, backends: &[Box<dyn RecordingBackend>]) -> Result<()> {
    let mut n = r.clone();
    // The backend named in this dictionary (or the current one) decides which of its own
    // properties are accepted, whatever the order of the entries.
    let target_backend = match d.get("record_to") {
        Some(Value::Str(b)) => b.as_str(),
        _ => r.record_to.as_str(),
    };
    let own = backends.iter().find(|b| b.name() == target_backend).map(|b| b.recorder_params()).unwrap_or_default();
    for (k, v) in d {
        if let Some(default) = own.get(k) {
            let ok = match default {
                Value::Int(_) => v.as_i64(k).map(Value::Int),
                Value::Double(_) => v.as_f64(k).map(Value::Double),
                Value::Bool(_) => v.as_bool(k).map(Value::Bool),
                Value::Str(_) => v.as_str(k).map(|x| Value::Str(x.to_string())),
                _ => Ok(v.clone()),
            }?;
            n.backend_params.insert(k.clone(), ok);
            continue;
        }
        match k.as_str() {
            "frozen" => {
                n.frozen = v.as_bool(k)?;
                if n.frozen && matches!(n.mode, RecorderMode::Sampler { .. }) {
                    return Err(Error::bad_property(format!("{} cannot be frozen.", n.model)));
                }
            }
            "start" => n.start = v.as_f64_in(Unit::Millisecond, k)?,
            "stop" => n.stop = v.as_f64_in(Unit::Millisecond, k)?,
            "origin" => {
                let x = v.as_f64_in(Unit::Millisecond, k)?;
                if ((x / h).round() * h - x).abs() > 1e-9 * x.abs().max(1.0) {
                    return Err(Error::bad_property(format!(
                        "origin must be a multiple of the resolution {h} ms, got {x} ms"
                    )));
                }
                n.origin = x;
            }
            "label" => n.label = v.as_str(k)?.to_string(),
            "offset" if matches!(n.mode, RecorderMode::Sampler { .. }) => {
                let x = v.as_f64_in(Unit::Millisecond, k)?;
                if x < 0.0 || ((x / h).round() * h - x).abs() > 1e-9 * x.max(1.0) {
                    return Err(Error::bad_property(format!(
                        "offset must be a non-negative multiple of the resolution {h} ms, got {x} ms"
                    )));
                }
                n.offset = x;
            }
            "time_in_steps" => n.time_in_steps = v.as_bool(k)?,
            "record_to" => {
                let b = v.as_str(k)?;
                if b != "memory" && !backends.iter().any(|x| x.name() == b) {
                    let names: Vec<&str> = std::iter::once("memory").chain(backends.iter().map(|x| x.name())).collect();
                    return Err(Error::bad_property(format!(
                        "unknown recording backend '{b}'{}; available: {}",
                        hint(b, names.iter().copied()),
                        names.join(", ")
                    )));
                }
                n.record_to = b.to_string();
            }
            "n_events" => {
                if v.as_i64(k)? != 0 {
                    return Err(Error::bad_property("n_events can only be set to 0 (to clear the events)"));
                }
                n.n_events = 0;
                n.events = Batch::default();
            }
            "interval" if matches!(n.mode, RecorderMode::Sampler { .. }) => {
                let x = v.as_f64_in(Unit::Millisecond, k)?;
                let steps = (x / h).round();
                if x < h * (1.0 - 1e-9) || (steps * h - x).abs() > 1e-9 * x.max(1.0) {
                    return Err(Error::bad_property(format!(
                        "the sampling interval must be a multiple of the resolution {h} ms and at least one step, got {x} ms"
                    )));
                }
                n.interval = x;
            }
            "record_from" if matches!(n.mode, RecorderMode::Sampler { .. }) => {
                n.record_from = v.as_str_vec(k)?;
            }
            "senders" | "targets" if matches!(n.mode, RecorderMode::Weights) => {
                let ids: Vec<u32> = v.as_i64_vec(k)?.into_iter().map(|x| x as u32).collect();
                if k == "senders" {
                    n.senders = ids;
                } else {
                    n.targets = ids;
                }
            }
            "events" => {}
            "model" | "model_id" | "global_id" | "element_type" | "local" | "thread" | "vp" | "filenames" => {}
            other => {
                let known = [
                    "start",
                    "stop",
                    "origin",
                    "label",
                    "record_to",
                    "n_events",
                    "interval",
                    "offset",
                    "record_from",
                    "time_in_steps",
                ];
                return Err(Error::bad_property(format!(
                    "{} has no parameter '{other}'{}",
                    r.model,
                    hint(other, known)
                )));
            }
        }
    }
    if n.stop < n.start {
        return Err(Error::bad_property(format!(
            "stop ({} ms) must not be smaller than start ({} ms)",
            n.stop, n.start
        )));
    }
    *r = n;
    Ok(())
}

/// NEST's spin_detector on one delivery of events `(sender, stamp, multiplicity)`, in delivery
/// order: multiplicity 2 is a 0→1 transition, a lone multiplicity 1 a 1→0 transition, two
/// multiplicity-1 events of one sender at one time a 0→1 transition. A lone event is held back
/// until the next one shows whether it has a twin, and written at the end of the delivery.
/// As in NEST 3.10, a lone event that directly follows another held-back event of a different
/// sender is consumed without a record of its own (NEST writes the held-back one and clears).
fn decode_spins(evs: &[(u32, i64, u32)]) -> Batch {
    let mut b = Batch { values: vec![Vec::new()], ..Batch::default() };
    let mut write = |src: u32, stamp: i64, state: f64| {
        b.senders.push(src);
        b.steps.push(stamp);
        b.values[0].push(state);
    };
    // The held-back event: (sender, stamp, state).
    let mut last: Option<(u32, i64, f64)> = None;
    for &(src, stamp, m) in evs {
        if let Some(l) = last.as_mut() {
            if m == 1 && l.0 == src && l.1 == stamp {
                l.2 = 1.0;
            }
        }
        if let Some((ls, lt, st)) = last {
            write(ls, lt, st);
        }
        if m == 2 {
            write(src, stamp, 1.0);
            last = None;
        } else if last.is_none() {
            last = Some((src, stamp, 0.0));
        } else {
            last = None;
        }
    }
    if let Some((ls, lt, st)) = last {
        write(ls, lt, st);
    }
    b
}

// ---------------------------------------------------------------- connect machinery

/// What a node is, for connecting.
#[derive(Clone, Copy)]
enum Role {
    Sends { kind: EventKind, signal: Signal },
    Receives { chunk: usize, local: usize },
    Sampler { rec: usize },
    SpikeRec { rec: usize },
    Silent,
}

fn weight_recorder_connect(gid: u32) -> Error {
    Error::new(
        ErrorKind::IllegalConnection,
        format!(
            "weight_recorder {gid} is not connected with Connect; set it as the synapse model's common property: CopyModel/SetDefaults with weight_recorder"
        ),
    )
}

/// What a source population sends: event kind and NEST signal type.
type Output = (EventKind, Signal);

/// What a cached route holds for: (target chunk, event kind, weight sign, source signal,
/// receptor).
type RouteKey = (usize, EventKind, i8, Signal, i64);

/// State of one Connect call while pairs are generated.
struct PairCtx<'a> {
    sid: usize,
    receptor: i64,
    /// A receptor per connection (syn_spec `receptor_type` given as a parameter or array).
    receptor_draw: Option<&'a ParamValue>,
    weight: &'a ParamValue,
    delay: &'a ParamValue,
    min_delay: i64,
    max_delay: i64,
    samplers: BTreeMap<(usize, usize), (Vec<u32>, Vec<usize>)>,
    spike_recs: Vec<(u32, usize)>,
    /// Connections of per-target drawing generators to spike recorders: (source, recorder,
    /// the connection's stream).
    ds_spike_recs: Vec<(u32, usize, Pcg64Mcg)>,
    rec_conns: Vec<RecConn>,
    /// Last target chunk: (first gid, len, chunk index).
    tcache: Option<(u32, u32, usize)>,
    /// Last source population: (first gid, last gid, output kind).
    scache: Option<(u32, u32, Option<Output>)>,
    /// Last routing decision: (chunk, kind, sign class) -> route.
    rcache: Option<(RouteKey, Route)>,
    count: usize,
    call: u64,
    /// For a plastic synapse model: the model and the connection's initial schema values.
    plastic: Option<(Arc<dyn SynapseModel>, Vec<f64>)>,
    /// (chunk, local) of each plastic connection's target, to enable archiving on success.
    plastic_targets: Vec<(usize, usize)>,
    /// Schema entries of a plastic model that vary per connection: (column, name, values).
    varying: Vec<(usize, &'static str, ParamValue)>,
    /// The row of the connection being made when some entries vary.
    scratch: Vec<f64>,
}

/// A weight given with a unit, in the unit the target takes on `receptor`.
fn weight_in_target_unit(
    node: &dyn Node,
    receptor: i64,
    q: &crate::units::Quantity,
    t: u32,
    model: &str,
) -> Result<f64> {
    match node.weight_unit(receptor) {
        Some(u) if u.dim == q.dim => Ok(q.si / u.si),
        Some(u) => Err(Error::bad_property(format!(
            "weight {q} has the wrong dimension for receptor {receptor} of node {t} ({model}): it takes a {} such as {u}",
            u.dim.name()
        ))),
        None => Err(Error::bad_property(format!(
            "weight {q} carries a unit, but receptor {receptor} of node {t} ({model}) takes plain-number weights"
        ))),
    }
}

fn value_of(p: &ParamValue, k: usize, rng: &mut Pcg64Mcg, what: &str) -> Result<f64> {
    Ok(match p {
        ParamValue::Scalar(x) => *x,
        ParamValue::Quantity(q) => q.si,
        ParamValue::Array(a) => *a.get(k).ok_or_else(|| {
            Error::bad_property(format!(
                "the {what} array has {} elements, but the connection rule creates more connections",
                a.len()
            ))
        })?,
        ParamValue::Random(d) => d.sample(rng),
    })
}

impl PairCtx<'_> {
    /// Connections to and from recorders carry no events here, but NEST counts their delays in
    /// min_delay/max_delay, and so do we (kernel status must agree).
    fn note_recorder_delay(&mut self, k: &Kernel, d: f64) -> Result<()> {
        let steps = k.check_delay(d)?;
        self.min_delay = self.min_delay.min(steps);
        self.max_delay = self.max_delay.max(steps);
        Ok(())
    }

    fn role_of_source(&mut self, k: &Kernel, s: u32) -> Result<Role> {
        if let Some((a, b, kind)) = self.scache {
            if a <= s && s <= b {
                if let Some((kind, signal)) = kind {
                    return Ok(Role::Sends { kind, signal });
                }
            }
        }
        match k.locate(s)? {
            Loc::Chunk { chunk, pop, .. } => {
                let p = &k.pops[pop];
                let c = &k.chunks[chunk];
                let out = c.output.map(|kind| (kind, c.node.sends_signal()));
                self.scache = Some((p.first, p.first + p.n - 1, out));
                Ok(match out {
                    Some((kind, signal)) => Role::Sends { kind, signal },
                    None => Role::Silent,
                })
            }
            Loc::Recorder { rec, .. } => match k.recorders[rec].mode {
                RecorderMode::Spikes | RecorderMode::Spins => Ok(Role::SpikeRec { rec }),
                RecorderMode::Sampler { .. } => Ok(Role::Sampler { rec }),
                RecorderMode::Weights => Err(weight_recorder_connect(s)),
            },
        }
    }

    fn role_of_target(&mut self, k: &Kernel, t: u32) -> Result<Role> {
        if let Some((a, n, chunk)) = self.tcache {
            if a <= t && t < a + n {
                return Ok(Role::Receives { chunk, local: (t - a) as usize });
            }
        }
        match k.locate(t)? {
            Loc::Chunk { chunk, local, .. } => {
                let c = &k.chunks[chunk];
                self.tcache = Some((c.first, c.len() as u32, chunk));
                Ok(Role::Receives { chunk, local })
            }
            Loc::Recorder { rec, .. } => match k.recorders[rec].mode {
                RecorderMode::Spikes | RecorderMode::Spins => Ok(Role::SpikeRec { rec }),
                RecorderMode::Sampler { .. } => Ok(Role::Sampler { rec }),
                RecorderMode::Weights => Err(weight_recorder_connect(t)),
            },
        }
    }

    fn add(&mut self, k: &mut Kernel, idx: usize, s: u32, t: u32, rng: &mut Pcg64Mcg) -> Result<()> {
        let src = self.role_of_source(k, s)?;
        let tgt = self.role_of_target(k, t)?;
        let mut w = value_of(self.weight, idx, rng, "weight")?;
        let d = value_of(self.delay, idx, rng, "delay")?;
        let receptor = match self.receptor_draw {
            None => self.receptor,
            Some(p) => {
                let r = value_of(p, idx, rng, "receptor_type")?;
                if !(r.is_finite() && r >= 0.0 && r.fract() == 0.0 && r <= i32::MAX as f64) {
                    return Err(Error::bad_property(format!(
                        "receptor_type must be a non-negative integer, got {r} for the connection of node {s} to node {t}"
                    )));
                }
                r as i64
            }
        };
        match (src, tgt) {
            (Role::Sends { kind, signal }, Role::Receives { chunk, local }) => {
                if let ParamValue::Quantity(q) = self.weight {
                    w = weight_in_target_unit(k.chunks[chunk].node.as_ref(), receptor, q, t, k.model_of(t)?)?;
                }
                let steps = if let ParamValue::Scalar(_) = self.delay {
                    steps_of(d, k.h)
                } else {
                    k.check_delay(d)?
                };
                let sign = if w > 0.0 { 1 } else if w < 0.0 { -1 } else { 0 };
                let key = (chunk, kind, sign, signal, receptor);
                // NEST's signal check, once per (target chunk, source signal) while the cached
                // route holds.
                if !matches!(self.rcache, Some((kk, _)) if kk == key) {
                    let receives = k.chunks[chunk].node.receives_signal();
                    if !signal.meets(receives) {
                        return Err(Error::new(
                            ErrorKind::IllegalConnection,
                            format!(
                                "Source and target neuron are not compatible (e.g., spiking vs binary neuron): node {s} ({}) sends {} events, node {t} ({}) receives {} events",
                                k.model_of(s)?,
                                signal.name(),
                                k.model_of(t)?,
                                receives.name()
                            ),
                        ));
                    }
                }
                let per_connection = k.chunks[chunk].node.connection_route(local, receptor, kind, w);
                let route = match (per_connection, self.rcache) {
                    (Some(r), _) => {
                        let r = r.map_err(|e| {
                            Error::new(e.kind, format!("cannot connect node {s} ({}) to node {t} ({}): {}", k.model_of(s).unwrap_or("?"), k.model_of(t).unwrap_or("?"), e.message))
                        })?;
                        let c = &mut k.chunks[chunk];
                        c.channels = c.node.channels();
                        r
                    }
                    (None, Some((kk, r))) if kk == key => r,
                    _ => {
                        let c = &k.chunks[chunk];
                        if c.channels == 0 {
                            return Err(Error::new(
                                ErrorKind::IllegalConnection,
                                format!(
                                    "{} (node {t}) is a stimulation device and cannot receive events from node {s}",
                                    k.model_of(t)?
                                ),
                            ));
                        }
                        let r = c.node.route(receptor, kind, w).map_err(|e| {
                            Error::new(e.kind, format!("cannot connect node {s} ({}) to node {t} ({}): {}", k.model_of(s).unwrap_or("?"), k.model_of(t).unwrap_or("?"), e.message))
                        })?;
                        self.rcache = Some((key, r));
                        r
                    }
                };
                let prop = Prop { weight: w, delay: steps as u32, route, syn: self.sid as u16, receptor: receptor as i32 };
                if let Some((model, row)) = &self.plastic {
                    if kind != EventKind::Spike || k.chunks[chunk].output != Some(EventKind::Spike) {
                        return Err(Error::new(
                            ErrorKind::IllegalConnection,
                            format!(
                                "{} needs spiking source and target neurons that archive spikes; node {s} ({}) -> node {t} ({})",
                                model.name(),
                                k.model_of(s)?,
                                k.model_of(t)?
                            ),
                        ));
                    }
                    let row = if self.varying.is_empty() {
                        row
                    } else {
                        self.scratch.clear();
                        self.scratch.extend_from_slice(row);
                        for (col, name, pv) in &self.varying {
                            self.scratch[*col] = value_of(pv, idx, rng, name)?;
                        }
                        &self.scratch
                    };
                    model.validate(row, w)?;
                    if model.needs_rng() {
                        // The connection's stream key: its Connect call and pair index, the same
                        // for any number of threads.
                        let key = (self.call << 40) ^ idx as u64;
                        let row = self.plastic.as_mut().map(|(_, r)| r).ok_or_else(|| Error::new(ErrorKind::KernelException, "no row"))?;
                        if let Some(last) = row.last_mut() {
                            *last = f64::from_bits(key);
                        }
                        k.chunks[chunk].conns.add_plastic(s, local as u32, prop, row, false);
                    } else {
                        k.chunks[chunk].conns.add_plastic(s, local as u32, prop, row, model.shares_state());
                    }
                    self.plastic_targets.push((chunk, local));
                    self.min_delay = self.min_delay.min(steps);
                    self.max_delay = self.max_delay.max(steps);
                    self.count += 1;
                    return Ok(());
                }
                let conns = &mut k.chunks[chunk].conns;
                match kind {
                    EventKind::Spike | EventKind::Current => conns.add(s, local as u32, prop),
                    EventKind::PoissonDraw | EventKind::GaussianCurrentDraw => {
                        let r = stream(k.rng_seed, Purpose::DevicePerTarget, s as u64 | (self.call << 32), t as u64);
                        conns.add_ds(s, local as u32, prop, r)
                    }
                }
                self.min_delay = self.min_delay.min(steps);
                self.max_delay = self.max_delay.max(steps);
            }
            (Role::Sampler { rec }, Role::Receives { chunk, local }) => {
                let node = &k.chunks[chunk].node;
                let recordables = node.recordables();
                let mut vars = Vec::new();
                for name in &k.recorders[rec].record_from {
                    match recordables.iter().position(|r| r == name) {
                        Some(v) => vars.push(v),
                        None => {
                            return Err(Error::new(
                                ErrorKind::IllegalConnection,
                                format!(
                                    "{} {} cannot record '{name}' from node {t} ({}); its recordables are: {}",
                                    k.recorders[rec].model,
                                    k.recorders[rec].gid,
                                    k.model_of(t)?,
                                    if recordables.is_empty() { "none".to_string() } else { recordables.join(", ") }
                                ),
                            ))
                        }
                    }
                }
                let e = self.samplers.entry((rec, chunk)).or_insert_with(|| (Vec::new(), vars.clone()));
                if e.1 != vars {
                    return Err(Error::new(ErrorKind::IllegalConnection, "a recorder cannot sample different variables from one population"));
                }
                e.0.push(local as u32);
                self.note_recorder_delay(k, d)?;
                self.rec_conns.push(RecConn { source: s, target: t, syn: self.sid, weight: w, delay: d });
            }
            (Role::Sends { kind: kind @ (EventKind::Spike | EventKind::PoissonDraw), signal }, Role::SpikeRec { rec }) => {
                let r = &k.recorders[rec];
                let receives = if r.mode == RecorderMode::Spins { Signal::BINARY } else { Signal::ALL };
                if !signal.meets(receives) {
                    return Err(Error::new(
                        ErrorKind::IllegalConnection,
                        format!(
                            "Source and target neuron are not compatible (e.g., spiking vs binary neuron): node {s} ({}) sends {} events, {} {} receives {} events",
                            k.model_of(s)?,
                            signal.name(),
                            r.model,
                            r.gid,
                            receives.name()
                        ),
                    ));
                }
                if kind == EventKind::PoissonDraw {
                    // NEST: the generator draws this connection's count as for any target, and
                    // the recorder records that many spikes (poisson_generator::event_hook).
                    let r = stream(k.rng_seed, Purpose::DevicePerTarget, s as u64 | (self.call << 32), t as u64);
                    self.ds_spike_recs.push((s, rec, r));
                } else {
                    self.spike_recs.push((s, rec));
                }
                self.note_recorder_delay(k, d)?;
                self.rec_conns.push(RecConn { source: s, target: t, syn: self.sid, weight: w, delay: d });
            }
            (_, Role::SpikeRec { rec }) => {
                return Err(Error::new(
                    ErrorKind::IllegalConnection,
                    format!(
                        "{} {} records spikes, but node {s} ({}) sends none; connect spiking nodes to it: Connect(neurons, recorder)",
                        k.recorders[rec].model,
                        k.recorders[rec].gid,
                        k.model_of(s)?
                    ),
                ))
            }
            (_, Role::Sampler { rec }) => {
                return Err(Error::new(
                    ErrorKind::IllegalConnection,
                    format!(
                        "{} {} samples its targets and receives no events; connect it the other way: Connect({}, neurons)",
                        k.recorders[rec].model, k.recorders[rec].gid, k.recorders[rec].model
                    ),
                ))
            }
            (Role::SpikeRec { rec }, _) => {
                return Err(Error::new(
                    ErrorKind::IllegalConnection,
                    format!(
                        "{} {} cannot send events; connect neurons to it instead: Connect(neurons, recorder)",
                        k.recorders[rec].model, k.recorders[rec].gid
                    ),
                ))
            }
            (Role::Sampler { rec }, _) => {
                return Err(Error::new(
                    ErrorKind::IllegalConnection,
                    format!("{} {} can only sample neurons and devices with recordables", k.recorders[rec].model, k.recorders[rec].gid),
                ))
            }
            _ => {
                return Err(Error::new(
                    ErrorKind::IllegalConnection,
                    format!("node {s} ({}) cannot be connected to node {t} ({})", k.model_of(s)?, k.model_of(t)?),
                ))
            }
        }
        self.count += 1;
        Ok(())
    }
}

/// Generates the (source, target) pairs of a rule, in creation order, drawing from streams keyed
/// by (seed, call, target) — or source for fixed_outdegree — so that the result does not depend
/// on threads. `f(k, s, t, rng)` receives the running index and the stream for synapse draws.
fn generate_pairs(
    seed: u64,
    pre: &NodeCollection,
    post: &NodeCollection,
    conn: &ConnSpec,
    call: u64,
    f: &mut dyn FnMut(usize, u32, u32, &mut Pcg64Mcg) -> Result<()>,
) -> Result<()> {
    let pre_v: Vec<u32> = pre.to_vec();
    let npre = pre_v.len();
    let mut k = 0usize;
    let key = |x: u32| (call << 32) | x as u64;
    match conn.rule {
        Rule::OneToOne => {
            for (s, t) in pre.iter().zip(post.iter()) {
                if !conn.allow_autapses && s == t {
                    continue;
                }
                let mut r = stream(seed, Purpose::SynapseParams, key(t), 0);
                f(k, s, t, &mut r)?;
                k += 1;
            }
        }
        Rule::AllToAll => {
            for t in post.iter() {
                let mut r = stream(seed, Purpose::SynapseParams, key(t), 0);
                for &s in &pre_v {
                    if !conn.allow_autapses && s == t {
                        continue;
                    }
                    f(k, s, t, &mut r)?;
                    k += 1;
                }
            }
        }
        Rule::FixedIndegree(n) => {
            let mut chosen: Vec<u32> = Vec::with_capacity(n);
            let mut seen = std::collections::HashSet::new();
            for t in post.iter() {
                let mut r = stream(seed, Purpose::Connect, key(t), 0);
                let mut rs = stream(seed, Purpose::SynapseParams, key(t), 0);
                let self_in = !conn.allow_autapses && pre.contains(t);
                let avail = npre - usize::from(self_in);
                if n > 0 && avail == 0 {
                    return Err(Error::bad_property(format!("fixed_indegree: no allowed source for target {t}")));
                }
                if !conn.allow_multapses && n > avail {
                    return Err(Error::bad_property(format!(
                        "indegree {n} is larger than the {avail} allowed sources of target {t} and multapses are not allowed"
                    )));
                }
                chosen.clear();
                seen.clear();
                while chosen.len() < n {
                    let s = pre_v[r.random_range(0..npre)];
                    if !conn.allow_autapses && s == t {
                        continue;
                    }
                    if !conn.allow_multapses && !seen.insert(s) {
                        continue;
                    }
                    chosen.push(s);
                }
                for &s in &chosen {
                    f(k, s, t, &mut rs)?;
                    k += 1;
                }
            }
        }
        Rule::FixedOutdegree(n) => {
            let post_v = post.to_vec();
            let npost = post_v.len();
            let mut seen = std::collections::HashSet::new();
            for &s in &pre_v {
                let mut r = stream(seed, Purpose::Connect, key(s), 1);
                let mut rs = stream(seed, Purpose::SynapseParams, key(s), 1);
                let self_in = !conn.allow_autapses && post.contains(s);
                let avail = npost - usize::from(self_in);
                if n > 0 && avail == 0 {
                    return Err(Error::bad_property(format!("fixed_outdegree: no allowed target for source {s}")));
                }
                if !conn.allow_multapses && n > avail {
                    return Err(Error::bad_property(format!(
                        "outdegree {n} is larger than the {avail} allowed targets of source {s} and multapses are not allowed"
                    )));
                }
                seen.clear();
                let mut c = 0;
                while c < n {
                    let t = post_v[r.random_range(0..npost)];
                    if !conn.allow_autapses && s == t {
                        continue;
                    }
                    if !conn.allow_multapses && !seen.insert(t) {
                        continue;
                    }
                    f(k, s, t, &mut rs)?;
                    k += 1;
                    c += 1;
                }
            }
        }
        Rule::FixedTotalNumber(n) => {
            let post_v = post.to_vec();
            let npost = post_v.len();
            let mut r = stream(seed, Purpose::Connect, key(0), 2);
            let mut rs = stream(seed, Purpose::SynapseParams, key(0), 2);
            let mut seen = std::collections::HashSet::new();
            let mut pairs = Vec::with_capacity(n);
            let mut guard = 0usize;
            while pairs.len() < n {
                guard += 1;
                if guard > 100 * n + 1000 {
                    return Err(Error::bad_property(format!(
                        "fixed_total_number: cannot draw {n} distinct allowed pairs"
                    )));
                }
                let s = pre_v[r.random_range(0..npre)];
                let t = post_v[r.random_range(0..npost)];
                if !conn.allow_autapses && s == t {
                    continue;
                }
                if !conn.allow_multapses && !seen.insert((s, t)) {
                    continue;
                }
                pairs.push((s, t));
            }
            // Creation order: by target, as the other rules (stable for equal targets).
            pairs.sort_by_key(|p| p.1);
            for (s, t) in pairs {
                f(k, s, t, &mut rs)?;
                k += 1;
            }
        }
        Rule::PairwiseBernoulli(p) => {
            for t in post.iter() {
                let mut r = stream(seed, Purpose::Connect, key(t), 3);
                let mut rs = stream(seed, Purpose::SynapseParams, key(t), 3);
                for &s in &pre_v {
                    if !conn.allow_autapses && s == t {
                        continue;
                    }
                    if r.random::<f64>() < p {
                        f(k, s, t, &mut rs)?;
                        k += 1;
                    }
                }
            }
        }
    }
    Ok(())
}

/// Accumulated (wall, process CPU) seconds of one of NEST's stopwatches.
#[derive(Debug, Clone, Copy, Default)]
struct Stopwatch {
    wall: f64,
    cpu: f64,
}

/// A running measurement, added to a [`Stopwatch`] by `stop`.
struct StopwatchRun {
    wall: std::time::Instant,
    cpu: f64,
}

impl Stopwatch {
    fn start() -> StopwatchRun {
        StopwatchRun { wall: std::time::Instant::now(), cpu: process_cpu_seconds() }
    }
}

impl StopwatchRun {
    fn stop(self, into: &mut Stopwatch) {
        into.wall += self.wall.elapsed().as_secs_f64();
        into.cpu += process_cpu_seconds() - self.cpu;
    }
}

/// CPU seconds used by this process, all threads (NEST's `_cpu` timers); 0 where the clock
/// is unavailable.
fn process_cpu_seconds() -> f64 {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime writes one timespec through the valid pointer we pass and reads
    // nothing else; CLOCK_PROCESS_CPUTIME_ID is a POSIX clock id.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    if rc == 0 {
        ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
    } else {
        0.0
    }
}
