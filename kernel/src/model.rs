//! The interface between the kernel and models.
//!
//! A [`Model`] is a factory registered by name. Creating nodes asks it for a [`Node`]: one
//! *chunk* of a population, holding the state of a contiguous range of nodes as structure of
//! arrays. The kernel calls [`Node::update`] once per chunk and time step (one virtual call per
//! chunk, never per neuron); the model loops over its neurons inside. Inputs arrive through ring
//! buffers owned by the kernel ([`Inputs`]); outputs leave through an [`Emitter`]. The kernel never
//! names a concrete model.

use crate::error::{Error, ErrorKind, Result};
use crate::schema::{unknown_key, ParamTable};
use crate::value::{Dict, Value};

/// What kind of node a model makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    /// A neuron: receives and sends events.
    Neuron,
    /// A stimulation device (generator): sends events, receives none.
    Stimulator,
    /// A recording device; recording itself is done by the kernel.
    Recorder,
}

impl NodeKind {
    /// NEST's `element_type`.
    pub fn element_type(self) -> &'static str {
        match self {
            NodeKind::Neuron => "neuron",
            NodeKind::Stimulator => "stimulator",
            NodeKind::Recorder => "recorder",
        }
    }
}

/// The kind of event a node sends through its outgoing connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventKind {
    /// A spike with a multiplicity; the target adds `weight * multiplicity * a` (a = 1 unless a
    /// spike weight is given).
    Spike,
    /// A current `a` (pA) for one step; the target adds `weight * a`.
    Current,
    /// A Poisson draw per target: each connection draws a count with mean `a` from its own
    /// random stream and delivers it as a spike of that multiplicity. With `b > 0` the count is
    /// brainpy's PoissonInput law for `b` sources of probability `a` (`conn::brainpy_count`).
    PoissonDraw,
    /// A Gaussian current per target: each connection keeps its own amplitude, redrawn as
    /// `a + b * N(0, 1)` from its own stream when the event says so (`mult == 1`).
    GaussianCurrentDraw,
}

impl EventKind {
    /// Whether targets receive this kind through a spike port.
    pub fn is_spike(self) -> bool {
        matches!(self, EventKind::Spike | EventKind::PoissonDraw)
    }
}

/// NEST's signal types, as bit flags: what a node's spike events mean (`SPIKE`: spikes;
/// `BINARY`: the transitions of binary neurons, coded in the multiplicity). A connection needs
/// `sends ∩ receives ≠ ∅`, NEST's check that spiking and binary neurons are not mixed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Signal(pub u8);

impl Signal {
    /// Spikes.
    pub const SPIKE: Signal = Signal(1);
    /// Binary-neuron transitions.
    pub const BINARY: Signal = Signal(2);
    /// Either (spike_generator, parrot_neuron, spike_recorder, ...).
    pub const ALL: Signal = Signal(3);
    /// Whether events sent as `self` can be received as `receives`.
    pub fn meets(self, receives: Signal) -> bool {
        self.0 & receives.0 != 0
    }
    /// NEST's name of the type.
    pub fn name(self) -> &'static str {
        match self.0 {
            1 => "spiking",
            2 => "binary",
            _ => "spiking or binary",
        }
    }
}

/// How a connection's events are written into the target's ring buffers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route {
    /// Input channel (ring buffer) of the target.
    pub channel: u16,
    /// What a spike of multiplicity m adds to the channel.
    pub decode: Decode,
}

/// What a spike event of multiplicity `m` (payloads `a`, `b`) adds through a connection of
/// weight `w`; the target chooses per receptor. Current events always add `w * a`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Decode {
    /// `w * m * a` (`a` = 1 unless the sender gives spike weights).
    Weighted,
    /// `m`, ignoring the weight (parrot neurons).
    CountOnly,
    /// `w * m * b`: the sender's per-spike payload (NEST carries it in the spike's offset:
    /// iaf_tum_2000's u·x, iaf_bw_2001's NMDA jump); senders without one send 0.
    Payload,
    /// NEST's binary-neuron code: multiplicity 2 is a 0→1 transition (`+w`), multiplicity 1 a
    /// 1→0 transition (`-w`), other multiplicities add nothing.
    Binary,
}

impl Decode {
    /// The value a spike adds (see the variants).
    #[inline]
    pub fn spike(self, w: f64, m: u32, a: f64, b: f64) -> f64 {
        match self {
            // w·(m·a): the order delivery has always used (bitwise results).
            Decode::Weighted => w * (m as f64 * a),
            Decode::CountOnly => m as f64,
            Decode::Payload => w * m as f64 * b,
            Decode::Binary => match m {
                1 => -w,
                2 => w,
                _ => 0.0,
            },
        }
    }
}

impl Route {
    /// Weighted input into `channel`.
    pub const fn weighted(channel: u16) -> Route {
        Route { channel, decode: Decode::Weighted }
    }
    /// Input into `channel` decoded with `decode`.
    pub const fn with(channel: u16, decode: Decode) -> Route {
        Route { channel, decode }
    }
}

/// What a node needs to know before a simulation run.
#[derive(Debug, Clone, Copy)]
pub struct Env {
    /// Simulation resolution h in ms.
    pub resolution: f64,
    /// Current time in steps (the first step of the coming run).
    pub now: i64,
    /// min_delay in steps.
    pub min_delay: i64,
    /// max_delay in steps.
    pub max_delay: i64,
}

/// One update step: the chunk advances its nodes from step `t` to `t + 1`.
#[derive(Debug, Clone, Copy)]
pub struct StepCtx {
    /// The step the update starts from (time t·h ms).
    pub t: i64,
    /// Resolution in ms.
    pub h: f64,
}

/// The input ring-buffer slot of the current step, per channel.
pub struct Inputs<'a> {
    pub(crate) data: &'a [f64],
    pub(crate) n: usize,
    pub(crate) nslots: usize,
    pub(crate) slot: usize,
}

impl<'a> Inputs<'a> {
    /// Builds an input view (for tests of models): `data` is `channels × nslots × n`.
    pub fn new(data: &'a [f64], n: usize, nslots: usize, slot: usize) -> Self {
        Inputs { data, n, nslots, slot }
    }
    /// The summed input of channel `ch` arriving at this step, one value per local node.
    #[inline]
    pub fn channel(&self, ch: usize) -> &[f64] {
        let base = (ch * self.nslots + self.slot) * self.n;
        &self.data[base..base + self.n]
    }
}

/// An event emitted by a chunk in one step.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LocalEvent {
    /// Local index of the sender within its chunk.
    pub local: u32,
    /// Multiplicity (spikes) or a flag (see [`EventKind`]).
    pub mult: u32,
    /// Payload a (see [`EventKind`]).
    pub a: f64,
    /// Payload b (see [`EventKind`]).
    pub b: f64,
}

/// A value a node sends through one of its output ports (see [`Node::add_output_port`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PortEvent {
    /// Port number, as returned by `add_output_port` (1, 2, ...).
    pub port: u16,
    /// Local index of the sender within its chunk.
    pub local: u32,
    /// The value; the port's targets add `weight * a` to the receiving channel.
    pub a: f64,
}

/// Collects the events a chunk emits during a step.
pub struct Emitter<'a> {
    pub(crate) out: &'a mut Vec<LocalEvent>,
    pub(crate) ports: Option<&'a mut Vec<PortEvent>>,
}

impl<'a> Emitter<'a> {
    /// Wraps an event vector (for tests of models).
    pub fn new(out: &'a mut Vec<LocalEvent>) -> Self {
        Emitter { out, ports: None }
    }
    /// Wraps an event vector and a port-value vector (for tests of models with output ports).
    pub fn with_ports(out: &'a mut Vec<LocalEvent>, ports: &'a mut Vec<PortEvent>) -> Self {
        Emitter { out, ports: Some(ports) }
    }
    /// Sends value `a` of node `local` through output port `port` (ignored when the node has
    /// no connected port).
    #[inline]
    pub fn port_value(&mut self, port: u16, local: usize, a: f64) {
        if let Some(p) = self.ports.as_mut() {
            p.push(PortEvent { port, local: local as u32, a });
        }
    }
    /// A spike of multiplicity 1 from `local`.
    #[inline]
    pub fn spike(&mut self, local: usize) {
        self.out.push(LocalEvent { local: local as u32, mult: 1, a: 1.0, b: 0.0 });
    }
    /// A spike of multiplicity `mult` and weight factor `a` from `local`.
    #[inline]
    pub fn spikes(&mut self, local: usize, mult: u32, a: f64) {
        self.out.push(LocalEvent { local: local as u32, mult, a, b: 0.0 });
    }
    /// Any event.
    #[inline]
    pub fn emit(&mut self, ev: LocalEvent) {
        self.out.push(ev);
    }
}

/// A neuron whose state became unusable during an update (see [`Node::failure`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    /// Local index of the neuron within its chunk.
    pub local: usize,
    /// The step the update started from.
    pub step: i64,
    /// What happened, with the values involved.
    pub message: String,
}

/// One chunk of a population: the state of `len()` nodes of one model, as structure of arrays.
pub trait Node: Send {
    /// Number of nodes in this chunk.
    fn len(&self) -> usize;
    /// True when the chunk is empty.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The schema-driven numeric parameters and state.
    fn table(&self) -> &ParamTable;
    /// Mutable access to the table.
    fn table_mut(&mut self) -> &mut ParamTable;
    /// Checks a complete row of values (parameters and state) of one node, with NEST's messages.
    fn validate(&self, _row: &[f64]) -> Result<()> {
        Ok(())
    }
    /// Names of status keys outside the numeric table (arrays, strings).
    fn extra_keys(&self) -> &'static [&'static str] {
        &[]
    }
    /// Status keys that can only be set as model defaults (SetDefaults, CopyModel), never on a
    /// node (NEST: e.g. `individual_spike_trains`).
    fn defaults_only(&self) -> &'static [&'static str] {
        &[]
    }
    /// Adds the non-numeric status entries of node `i`.
    fn get_extra(&self, _i: usize, _d: &mut Dict) {}
    /// Applies non-numeric entries to node `i` given its new numeric `row`. Must check everything
    /// before changing anything. Unknown keys are errors.
    fn set_extra(&mut self, _i: usize, rest: &[(&str, &Value)], _row: &[f64], model: &str) -> Result<()> {
        match rest.first() {
            None => Ok(()),
            Some((k, _)) => {
                let mut known: Vec<&str> = self.table().specs().iter().map(|s| s.name).collect();
                known.extend(self.extra_keys());
                Err(unknown_key(model, k, &known))
            }
        }
    }
    /// Called by the kernel right after the chunk is made, with the simulation resolution in ms
    /// (fixed while nodes exist), for checks at SetStatus that depend on the time grid (NEST
    /// checks, e.g., that spike times are representable when they are set). Default: ignore.
    fn set_resolution(&mut self, _h: f64) {}
    /// Precomputes propagators etc. before a run.
    fn prepare(&mut self, env: &Env) -> Result<()>;
    /// Number of input channels (ring buffers) this model reads.
    fn channels(&self) -> usize {
        0
    }
    /// Where an incoming event of `kind` on `receptor` with `weight` goes.
    fn route(&self, receptor: i64, kind: EventKind, _weight: f64) -> Result<Route> {
        Err(Error::new(
            ErrorKind::IllegalConnection,
            format!("this node cannot receive {kind:?} events on receptor {receptor}"),
        ))
    }
    /// Per-connection routing, for models that keep state per incoming connection (NEST's
    /// `iaf_bw_2001_exact` gives each NMDA connection its own port): called for every new
    /// connection to node `local` of the chunk, before the per-chunk [`Node::route`] (which the
    /// kernel caches per chunk, kind and weight sign). `None` (the default) uses `route`. A node
    /// that answers `Some` may add input channels; the kernel re-reads [`Node::channels`].
    fn connection_route(
        &mut self,
        _local: usize,
        _receptor: i64,
        _kind: EventKind,
        _weight: f64,
    ) -> Option<Result<Route>> {
        None
    }
    /// The kind of events this node sends, or `None` if it sends nothing.
    fn output(&self) -> Option<EventKind>;
    /// What this node's spike events mean (NEST's `sends_signal`); default spikes.
    fn sends_signal(&self) -> Signal {
        Signal::SPIKE
    }
    /// What spike events this node accepts (NEST's `receives_signal`); default spikes.
    fn receives_signal(&self) -> Signal {
        Signal::SPIKE
    }
    /// Advances all nodes of the chunk by one step.
    fn update(&mut self, ctx: &StepCtx, inputs: &Inputs<'_>, out: &mut Emitter<'_>);
    /// A neuron of the chunk whose update failed (non-finite state, an integrator that cannot
    /// reach its tolerance, a model's own instability check), taken once after each slice's
    /// update. The kernel stops Simulate with `NumericalInstability` naming the node, its model
    /// and the time. Default: never fails.
    fn failure(&mut self) -> Option<Failure> {
        None
    }
    /// For nodes that send per-target draws ([`EventKind::GaussianCurrentDraw`]): before each
    /// run the kernel hands node `local` copies of the random streams of its outgoing
    /// connections, in their current state. Each connection draws one `standard_normal` per
    /// redraw event, so a node that draws the same way from the copies knows every target's
    /// amplitude (NEST records their average as `I`). Default: ignore.
    fn observe_target_streams(&mut self, _local: usize, _streams: Vec<rand_pcg::Pcg64Mcg>) {}
    /// Called once per chunk before its first run with the kernel's `rng_seed` and the id of the
    /// chunk's first node, for nodes that draw random numbers themselves: streams keyed by
    /// `(seed, node id)` (see `rng::stream`) keep results independent of threads.
    fn seed_streams(&mut self, _seed: u64, _first_id: u32) {}
    /// Adds an input port described by `spec` (a model-specific dictionary, e.g. a synapse
    /// kinetics plus a synaptic output for BrainPy-style populations) and returns its receptor
    /// number for `receptor_type`. A spec equal to an existing one may return that receptor
    /// (state shared, as brainpy merges identical AlignPost projections). Every chunk of a
    /// population gets the same call and must answer the same number.
    fn add_receptor(&mut self, _spec: &Dict) -> Result<i64> {
        Err(Error::new(ErrorKind::IllegalConnection, "this model has no configurable receptors"))
    }
    /// Adds an output port described by `spec`: per-node state the node updates from its own
    /// spikes and sends every step as a value through [`Emitter::port_value`] (BrainPy's
    /// align-pre synapses). Returns the port number (1, 2, ...).
    fn add_output_port(&mut self, _spec: &Dict) -> Result<u16> {
        Err(Error::new(ErrorKind::IllegalConnection, "this model has no configurable output ports"))
    }
    /// Before the first step (time 0), the values ports send for the initial state — brainpy
    /// reads a prefetched variable (gap junctions, `CurrentProj`) before step 0 updates it.
    /// Called at every Simulate that starts at time 0; a node sends each port's values once.
    fn initial_port_values(&mut self, _out: &mut Emitter<'_>) {}
    /// One unit of weight on `receptor`, as a quantity: a weight given with a unit is checked
    /// against its dimension and converted into it. `None`: weights carry no unit here.
    fn weight_unit(&self, _receptor: i64) -> Option<crate::units::Quantity> {
        None
    }
    /// Names of recordable variables.
    fn recordables(&self) -> std::borrow::Cow<'static, [&'static str]> {
        std::borrow::Cow::Borrowed(&[])
    }
    /// Value of recordable `var` (index into `recordables()`) of node `i`.
    fn read(&self, _var: usize, _i: usize) -> f64 {
        0.0
    }
}

/// What a recording device records; recording itself is implemented by the kernel.
#[derive(Debug, Clone, PartialEq)]
pub enum RecorderMode {
    /// Receives spikes from its sources (Connect(neurons, recorder)).
    Spikes,
    /// Samples state variables of its targets (Connect(recorder, neurons)).
    Sampler {
        /// Variables recorded when `record_from` is not set.
        default_record_from: Vec<String>,
        /// Whether `record_from` may be changed (false for voltmeter in spirit, true for multimeter).
        settable: bool,
    },
    /// Decodes the binary neurons' transitions from the spikes of its sources (NEST's
    /// spin_detector): one event per transition with its new `state` (0 or 1).
    Spins,
    /// Records the weights of the spikes crossing the connections of synapse models whose
    /// `weight_recorder` common property names it (NEST's weight_recorder).
    Weights,
}

/// What a model makes.
pub enum Instance {
    /// A chunk of nodes with their own update.
    Node(Box<dyn Node>),
    /// A recording device.
    Recorder(RecorderMode),
}

/// A model: a named factory of node chunks, with its documentation.
pub trait Model: Send + Sync {
    /// NEST's model name.
    fn name(&self) -> &'static str;
    /// What kind of nodes it makes.
    fn kind(&self) -> NodeKind;
    /// A short description (first line of the model's manual).
    fn doc(&self) -> &'static str {
        ""
    }
    /// Makes a chunk of `n` nodes at the model defaults.
    fn instantiate(&self, n: usize) -> Instance;
}
