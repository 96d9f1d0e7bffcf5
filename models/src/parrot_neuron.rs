//! # parrot_neuron — repeats every incoming spike
//!
//! A neuron that emits one spike for every spike it receives, with the same multiplicity, at the
//! step the input arrives (NEST model `parrot_neuron`, NEST 3.10). Its typical use is to give
//! many neurons the *same* Poisson train: a `poisson_generator` sends an independent train to
//! each target, so connect it to one parrot and the parrot to the group.
//!
//! ## Semantics
//!
//! * Weights of connections *to* the parrot are ignored; only the number of spikes counts.
//!   Weights of connections *from* the parrot apply as usual. Delays apply on both sides.
//! * A spike (of multiplicity m) arriving in the update step t → t+1 is repeated as one event
//!   of multiplicity m stamped t+1, i.e. the parrot adds no delay of its own.
//! * Only spikes arriving on receptor 0 are repeated. Connections to receptor 1 are accepted but
//!   their spikes are ignored; this lets, e.g., an STDP synapse between two parrots see exactly
//!   chosen pre- and postsynaptic spike times.
//!
//! ## Parameters
//!
//! None besides the generic ones of every node. NEST 3.10 also shows
//! `flush_event_send_interval` (ms, default ∞), which controls *flush events* that the parrot
//! sends after long silences; nestor has no flush events, so the key is not offered.
//!
//! ## State and recordables
//!
//! None.
//!
//! ## Events
//!
//! * Sends: spikes (with multiplicity).
//! * Receives: spikes (and Poisson draws) on receptors 0 (repeated) and 1 (ignored); other
//!   receptors: `UnknownReceptorType`. Current input: `IllegalConnection`.
//!
//! Input channels (both count-only, i.e. the kernel adds multiplicities, not weights):
//! 0 = spikes to repeat, 1 = spikes to ignore.
//!
//! ## See also
//!
//! [`crate::iaf_psc_delta`], [`crate::static_synapse`].

use nestor_kernel::error::{Error, ErrorKind, Result};
use nestor_kernel::model::{
    Decode, Emitter, Env, EventKind, Inputs, Instance, Model, Node, NodeKind, Route, Signal, StepCtx,
};
use nestor_kernel::schema::{ParamSpec, ParamTable};
use nestor_kernel::units::Unit;

const NAME: &str = "parrot_neuron";

/// The status schema of `parrot_neuron`: only the postsynaptic trace time constants that plastic
/// synapses read (NEST's archiving node).
pub static SCHEMA: [ParamSpec; 2] = [
    ParamSpec::param("tau_minus", Unit::Millisecond, 20.0, "Time constant of the K- trace read by STDP synapses"),
    ParamSpec::param("tau_minus_triplet", Unit::Millisecond, 110.0, "Time constant of the triplet K- trace"),
];

/// Input channel of spikes to repeat (receptor 0), counting multiplicities.
pub const CH_REPEAT: u16 = 0;
/// Input channel of spikes to ignore (receptor 1).
pub const CH_IGNORE: u16 = 1;

/// The `parrot_neuron` model (factory).
#[derive(Debug, Clone, Copy, Default)]
pub struct ParrotNeuron;

impl Model for ParrotNeuron {
    fn name(&self) -> &'static str {
        NAME
    }
    fn kind(&self) -> NodeKind {
        NodeKind::Neuron
    }
    fn doc(&self) -> &'static str {
        "Neuron that repeats incoming spikes"
    }
    fn instantiate(&self, n: usize) -> Instance {
        Instance::Node(Box::new(ParrotNeuronNodes::new(n)))
    }
}

/// A chunk of parrot neurons: no state; the table holds the STDP trace time constants.
#[derive(Debug, Clone)]
pub struct ParrotNeuronNodes {
    n: usize,
    table: ParamTable,
}

impl ParrotNeuronNodes {
    /// `n` parrot neurons.
    pub fn new(n: usize) -> Self {
        ParrotNeuronNodes { n, table: ParamTable::new(&SCHEMA, n) }
    }
}

impl Node for ParrotNeuronNodes {
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

    fn channels(&self) -> usize {
        2
    }

    fn route(&self, receptor: i64, kind: EventKind, _weight: f64) -> Result<Route> {
        if !kind.is_spike() {
            return Err(Error::new(
                ErrorKind::IllegalConnection,
                "The target node or synapse model does not support current input.",
            ));
        }
        let channel = match receptor {
            0 => CH_REPEAT,
            1 => CH_IGNORE,
            _ => {
                return Err(Error::new(
                    ErrorKind::UnknownReceptorType,
                    format!("Receptor type {receptor} is not available in {NAME}."),
                ))
            }
        };
        Ok(Route::with(channel, Decode::CountOnly))
    }

    // NEST: a parrot repeats spikes and binary transitions alike (the multiplicity is kept).
    fn sends_signal(&self) -> Signal {
        Signal::ALL
    }
    fn receives_signal(&self) -> Signal {
        Signal::ALL
    }
    fn output(&self) -> Option<EventKind> {
        Some(EventKind::Spike)
    }

    fn update(&mut self, _ctx: &StepCtx, inputs: &Inputs<'_>, out: &mut Emitter<'_>) {
        for (i, &count) in inputs.channel(CH_REPEAT as usize)[..self.n].iter().enumerate() {
            // NEST casts the accumulated double to an unsigned count.
            let m = count as u32;
            if m > 0 {
                out.spikes(i, m, 1.0);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nestor_kernel::model::LocalEvent;

    fn nodes(n: usize) -> Box<dyn Node> {
        match ParrotNeuron.instantiate(n) {
            Instance::Node(b) => b,
            Instance::Recorder(_) => panic!("parrot_neuron must instantiate nodes"),
        }
    }

    #[test]
    fn repeats_receptor_0_with_multiplicity_and_ignores_receptor_1() {
        let mut nd = nodes(3);
        nd.prepare(&Env { resolution: 0.1, now: 0, min_delay: 1, max_delay: 1 }).unwrap();
        assert_eq!(nd.len(), 3);
        // channel 0: node 0 got 1 spike, node 2 got 3; channel 1: node 1 got 5 (ignored).
        let data = [1.0, 0.0, 3.0, 0.0, 5.0, 0.0];
        let mut ev: Vec<LocalEvent> = Vec::new();
        nd.update(&StepCtx { t: 7, h: 0.1 }, &Inputs::new(&data, 3, 1, 0), &mut Emitter::new(&mut ev));
        assert_eq!(ev.len(), 2);
        assert_eq!((ev[0].local, ev[0].mult, ev[0].a), (0, 1, 1.0));
        assert_eq!((ev[1].local, ev[1].mult, ev[1].a), (2, 3, 1.0));
    }

    #[test]
    fn routing_follows_nest() {
        let nd = nodes(1);
        let r0 = nd.route(0, EventKind::Spike, -3.0).unwrap();
        assert_eq!(r0, Route::with(CH_REPEAT, Decode::CountOnly));
        let r1 = nd.route(1, EventKind::PoissonDraw, 1.0).unwrap();
        assert_eq!(r1, Route::with(CH_IGNORE, Decode::CountOnly));
        assert_eq!(nd.route(2, EventKind::Spike, 1.0).unwrap_err().kind, ErrorKind::UnknownReceptorType);
        assert_eq!(nd.route(0, EventKind::Current, 1.0).unwrap_err().kind, ErrorKind::IllegalConnection);
        assert_eq!(nd.output(), Some(EventKind::Spike));
        assert!(nd.recordables().is_empty());
        let names: Vec<&str> = nd.table().specs().iter().map(|s| s.name).collect();
        assert_eq!(names, ["tau_minus", "tau_minus_triplet"]);
    }
}
