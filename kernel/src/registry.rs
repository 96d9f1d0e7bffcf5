//! The registry of models: neuron, device and synapse models by name, with CopyModel/SetDefaults
//! overrides. `models::register_all` and `devices::register_all` fill it; the kernel itself
//! registers nothing concrete.

use crate::archive::{Archive, PostView};
use crate::error::{hint, Error, ErrorKind, Result};
use crate::model::Model;
use crate::rng::SynRng;
use crate::schema::ParamSpec;
use crate::value::Dict;
use std::sync::Arc;

/// A synapse model. Static synapses only transmit; plastic models (later) add state and rules.
pub trait SynapseModel: Send + Sync {
    /// NEST's name, e.g. "static_synapse".
    fn name(&self) -> &'static str;
    /// One-line description.
    fn doc(&self) -> &'static str {
        ""
    }
    /// Default weight (NEST: 1.0).
    fn default_weight(&self) -> f64 {
        1.0
    }
    /// Default delay in ms (NEST: 1.0).
    fn default_delay(&self) -> f64 {
        1.0
    }
    /// Parameters shared by all connections of the model (NEST's common properties, the `_hom`
    /// models): set with SetDefaults/CopyModel only.
    fn common_schema(&self) -> &'static [ParamSpec] {
        &[]
    }
    /// Checks the common parameters.
    fn validate_common(&self, _common: &[f64]) -> Result<()> {
        Ok(())
    }
    /// Per-connection parameters and state beyond weight and delay (empty for static synapses).
    fn schema(&self) -> &'static [ParamSpec] {
        &[]
    }
    /// Whether each connection keeps state that changes with spikes (stored per connection).
    fn is_plastic(&self) -> bool {
        false
    }
    /// Whether the rule reads the postsynaptic spike history (STDP does, short-term plasticity
    /// does not); only then does the target keep its history.
    fn needs_post_history(&self) -> bool {
        self.is_plastic()
    }
    /// Checks a connection's values (`row` in schema order) and weight, with NEST's messages.
    fn validate(&self, _row: &[f64], _weight: f64) -> Result<()> {
        Ok(())
    }
    /// Whether all connections share the model's weight (`static_synapse_hom_w`): the weight is
    /// set with SetDefaults/CopyModel only, never per connection.
    fn common_weight(&self) -> bool {
        false
    }
    /// Whether the connection's state (its schema values) evolves with the presynaptic spikes
    /// only — not with the target's history, the weight or random draws — so that connections
    /// from one source made together can share one copy of it (see `conn::PlasticTable`).
    fn shares_state(&self) -> bool {
        false
    }
    /// Whether the rule draws random numbers (bernoulli, quantal release); such connections get
    /// a key for their counter-based stream ([`SynRng`]).
    fn needs_rng(&self) -> bool {
        false
    }
    /// A presynaptic spike crosses a plastic connection: update `row` (state) and `weight`, and
    /// return what the target receives. `post` gives the target's spike history (NEST's
    /// archiving node), `rng` the connection's stream for this spike.
    fn on_spike(
        &self,
        _common: &[f64],
        _row: &mut [f64],
        weight: &mut f64,
        spike: &SpikeIn,
        _post: &mut PostView<'_>,
        _rng: &mut SynRng,
    ) -> Transmit {
        Transmit { weight: *weight, mult: spike.mult }
    }
    /// The rule for a whole row of connections at once (an optional fast path; `false` when
    /// the model has none, and the kernel then calls [`SynapseModel::on_spike`] per
    /// connection). The connections share the schema values `row` (see `conn::PlasticTable`);
    /// connection `k` has weight `weights[k]` and local target `targets[k]` in `post`. Each
    /// runs the rule from `row` as it was before the spike, `row` ends with the state after it,
    /// and `out[k]` is the weight connection `k` delivers (multiplicity `spike.mult`; every
    /// element must be written, `out` holds the previous row's values on entry). Only for
    /// models that draw no random numbers and always transmit; the results must be bitwise
    /// those of `on_spike` in connection order.
    #[allow(clippy::too_many_arguments)] // hot path: slices, no per-event struct
    fn on_spike_row(
        &self,
        _common: &[f64],
        _row: &mut [f64],
        _weights: &mut [f64],
        _targets: &[u32],
        _spike: &SpikeIn,
        _post: &mut Archive,
        _out: &mut [f64],
    ) -> bool {
        false
    }
}

/// A presynaptic spike as a plastic connection sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SpikeIn {
    /// Spike time stamp (ms).
    pub t: f64,
    /// The connection's (dendritic) delay (ms).
    pub delay: f64,
    /// Multiplicity of the spike.
    pub mult: u32,
}

/// What a plastic connection hands to its target for one spike.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Transmit {
    /// Weight of the delivered event.
    pub weight: f64,
    /// Multiplicity delivered (0: nothing reaches the target).
    pub mult: u32,
}

/// A registered node model: a factory plus the defaults set by SetDefaults/CopyModel.
#[derive(Clone)]
pub struct ModelEntry {
    /// Name under which it is registered (a copy has its own name).
    pub name: String,
    /// The factory.
    pub factory: Arc<dyn Model>,
    /// Overrides of the factory defaults, applied to every new node.
    pub overrides: Dict,
}

/// A registered synapse model with its current defaults.
#[derive(Clone)]
pub struct SynapseEntry {
    /// Name under which it is registered.
    pub name: String,
    /// The model.
    pub base: Arc<dyn SynapseModel>,
    /// Default weight.
    pub weight: f64,
    /// Default delay in ms.
    pub delay: f64,
    /// Default receptor type.
    pub receptor_type: i64,
    /// Defaults of the model's own schema (SetDefaults/CopyModel change them).
    pub row: Vec<f64>,
    /// The model's common properties.
    pub common: Vec<f64>,
    /// Global id of the weight_recorder that records its connections (common property).
    pub weight_recorder: Option<u32>,
}

/// All known models.
#[derive(Clone, Default)]
pub struct Registry {
    /// Node models in registration order.
    pub models: Vec<ModelEntry>,
    /// Synapse models in registration order.
    pub synapses: Vec<SynapseEntry>,
}

impl Registry {
    /// An empty registry.
    pub fn new() -> Self {
        Self::default()
    }
    /// Registers a node model under its own name.
    pub fn add_model(&mut self, m: Arc<dyn Model>) {
        self.models.push(ModelEntry { name: m.name().to_string(), factory: m, overrides: Dict::new() });
    }
    /// Registers a synapse model under its own name and as NEST's `<name>_hpc` variant.
    pub fn add_synapse(&mut self, s: Arc<dyn SynapseModel>) {
        // NEST registers every connection model a second time with the suffix `_hpc` (the same
        // rule with a compact target index, for large simulations). nestor's target-side tables
        // are always compact, so the variant is the same model under its NEST name.
        for name in [s.name().to_string(), format!("{}_hpc", s.name())] {
            self.synapses.push(SynapseEntry {
                name,
                weight: s.default_weight(),
                delay: s.default_delay(),
                receptor_type: 0,
                row: s.schema().iter().map(|p| p.default).collect(),
                common: s.common_schema().iter().map(|p| p.default).collect(),
                weight_recorder: None,
                base: s.clone(),
            });
        }
    }
    /// Index of a node model by name.
    pub fn model_id(&self, name: &str) -> Result<usize> {
        self.models.iter().position(|m| m.name == name).ok_or_else(|| {
            let syn = if self.synapse_id(name).is_ok() { " (it is a synapse model)" } else { "" };
            Error::new(
                ErrorKind::UnknownModelName,
                format!("unknown model '{name}'{}{syn}", hint(name, self.models.iter().map(|m| m.name.as_str()))),
            )
        })
    }
    /// Index of a synapse model by name.
    pub fn synapse_id(&self, name: &str) -> Result<usize> {
        self.synapses.iter().position(|m| m.name == name).ok_or_else(|| {
            Error::new(
                ErrorKind::UnknownSynapseType,
                format!("unknown synapse model '{name}'{}", hint(name, self.synapses.iter().map(|m| m.name.as_str()))),
            )
        })
    }
    /// Whether `name` is taken by any model.
    pub fn contains(&self, name: &str) -> bool {
        self.model_id(name).is_ok() || self.synapse_id(name).is_ok()
    }
}
