//! # static_synapse_hom_w — static connections sharing one weight
//!
//! A connection without plasticity whose weight is a property of the *model*, shared by all its
//! connections (NEST model `static_synapse_hom_w`, NEST 3.10). Each connection stores only its
//! target, delay and receptor type.
//!
//! ## Parameters
//!
//! | NEST name       | unit                | default | meaning                                  |
//! |-----------------|---------------------|---------|------------------------------------------|
//! | `weight`        | target's input unit | 1.0     | common weight (SetDefaults / CopyModel only) |
//! | `delay`         | ms                  | 1.0     | per connection, a whole number of steps ≥ 1 |
//! | `receptor_type` | integer             | 0       | receptor (port) of the target            |
//!
//! Giving `weight` in a Connect call's syn_spec, or setting it on a connection with SetStatus,
//! is an error, as in NEST. Changing the model's weight with SetDefaults changes the weight of
//! every existing connection of the model (NEST's common properties); nestor refuses a change of
//! sign once connections exist, because the sign decides the receiving synapse (excitatory or
//! inhibitory) when the connection is made.
//!
//! ## Events
//!
//! Transmits everything its source sends (spikes, currents), like `static_synapse`.
//!
//! ## See also
//!
//! [`crate::static_synapse`]; NEST's classic `brunel-2000.sli` uses it for its E and I synapses.

use nestor_kernel::registry::SynapseModel;

/// The `static_synapse_hom_w` model.
#[derive(Debug, Clone, Copy, Default)]
pub struct StaticSynapseHomW;

impl SynapseModel for StaticSynapseHomW {
    fn name(&self) -> &'static str {
        "static_synapse_hom_w"
    }
    fn doc(&self) -> &'static str {
        "Synapse type for static connections with homogeneous weight"
    }
    fn common_weight(&self) -> bool {
        true
    }
}
