//! Recording devices: `spike_recorder`, `voltmeter`, `multimeter`, `weight_recorder`.
//!
//! Recording itself is done by the kernel (see `nestor_kernel::record`): these models only say
//! what they record. Parameters (NEST names): `start`, `stop`, `origin` (ms; events with
//! origin+start < t ≤ origin+stop are kept), `interval` (ms, default 1.0) and `offset` (ms) for
//! samplers (samples at offset + k·interval, never at 0), `record_from` (multimeter; voltmeter
//! records `V_m`), `record_to` (`memory`, `hdf5`), `label`, `n_events` (set 0 to clear),
//! `time_in_steps`.
//!
//! Connect neurons *to* a spike_recorder; connect a voltmeter/multimeter *to* the nodes it
//! samples. nestor hands over all samples up to the end of each Simulate (NEST 3.10 holds back
//! its last min_delay slice of samples until the next Simulate call).

use nestor_kernel::model::{Instance, Model, NodeKind, RecorderMode};

/// A recording-device model.
pub struct Recorder {
    name: &'static str,
    doc: &'static str,
    mode: fn() -> RecorderMode,
}

impl Model for Recorder {
    fn name(&self) -> &'static str {
        self.name
    }
    fn kind(&self) -> NodeKind {
        NodeKind::Recorder
    }
    fn doc(&self) -> &'static str {
        self.doc
    }
    fn instantiate(&self, _n: usize) -> Instance {
        Instance::Recorder((self.mode)())
    }
}

/// `spike_recorder`: records the spikes of its sources.
pub const SPIKE_RECORDER: Recorder =
    Recorder { name: "spike_recorder", doc: "records spike times and senders", mode: || RecorderMode::Spikes };

/// `spin_detector`: decodes the binary neurons' transitions from the spikes of its sources
/// (multiplicity 2: up, 1: down) and records senders, times and the new `state` (0/1), as
/// NEST's spin_detector; it accepts binary senders only.
pub const SPIN_DETECTOR: Recorder = Recorder {
    name: "spin_detector",
    doc: "records the state transitions of binary neurons",
    mode: || RecorderMode::Spins,
};

/// `voltmeter`: samples `V_m` of its targets.
pub const VOLTMETER: Recorder = Recorder {
    name: "voltmeter",
    doc: "samples the membrane potential V_m",
    mode: || RecorderMode::Sampler { default_record_from: vec!["V_m".into()], settable: true },
};

/// `weight_recorder`: records senders, targets, times, weights, receptors and ports of the
/// spikes crossing the connections of every synapse model whose `weight_recorder` common
/// property names it (CopyModel/SetDefaults `weight_recorder`), as NEST's weight_recorder.
/// The weight is the one delivered (for short-term plasticity the effective weight); `senders`
/// and `targets` (lists of ids) restrict what is recorded. Not connected with Connect. As in
/// NEST, spikes that stimulating devices (spike_generator, poisson_generator, …) send are not
/// recorded, only those sent by neurons (a parrot_neuron relays a generator's spikes).
/// `ports` is always 0: NEST reports its thread-local connection index there, a number that
/// depends on NEST's thread count and has no counterpart in nestor's tables.
pub const WEIGHT_RECORDER: Recorder = Recorder {
    name: "weight_recorder",
    doc: "records the weights of spikes crossing plastic or static connections",
    mode: || RecorderMode::Weights,
};

/// `multimeter`: samples the variables named in `record_from`.
pub const MULTIMETER: Recorder = Recorder {
    name: "multimeter",
    doc: "samples the recordables named in record_from",
    mode: || RecorderMode::Sampler { default_record_from: Vec::new(), settable: true },
};
