//! `stdp_synapse_hom`: pair-based STDP with power-law weight dependence (Guetig et al. 2003)
//! whose parameters are shared by all connections of the model, as NEST's `stdp_synapse_hom`.
//!
//! The rule is `stdp_synapse`'s. On each presynaptic spike at t (dendritic delay d):
//! - facilitation for every postsynaptic spike t_post with t_last − d < t_post ≤ t − d:
//!   w ← min(Wmax, Wmax·(w/Wmax + λ (1 − w/Wmax)^μ₊ K⁺ e^{(t_last − t_post − d)/τ₊}));
//! - depression with the postsynaptic trace K⁻ just before t − d:
//!   w ← max(0, Wmax·(w/Wmax − α λ (w/Wmax)^μ₋ K⁻));
//! - the spike is delivered with the new w; then K⁺ ← K⁺ e^{(t_last − t)/τ₊} + 1, t_last ← t.
//!
//! Common properties (SetDefaults/CopyModel only; setting them per connection is an error):
//!
//! | name | unit | default | meaning |
//! |---|---|---|---|
//! | tau_plus | ms | 20.0 | time constant of the presynaptic trace K⁺, > 0 |
//! | lambda | — | 0.01 | step size |
//! | alpha | — | 1.0 | asymmetry between depression and facilitation |
//! | mu_plus | — | 1.0 | weight dependence exponent, facilitation |
//! | mu_minus | — | 1.0 | weight dependence exponent, depression |
//! | Wmax | — | 100.0 | maximum weight |
//!
//! Per connection: `weight` (1.0), `delay` (1.0 ms), `Kplus` (0, state, ≥ 0), `t_lastspike`
//! (read only). The postsynaptic K⁻ trace uses the target neuron's `tau_minus`.
//! NEST checks no common property; nestor refuses tau_plus ≤ 0 (the rule divides by it).
//! References: Guetig R, Aharonov R, Rotter S, Sompolinsky H (2003) J Neurosci 23:3697,
//! doi:10.1523/JNEUROSCI.23-09-03697.2003. NEST 3.10 `models/stdp_synapse_hom.h`.
//! Transmits spikes. See also: stdp_synapse, stdp_pl_synapse_hom.

use crate::stdp_rules::{guetig_depress, guetig_facilitate, non_negative, positive};
use nestor_kernel::archive::PostView;
use nestor_kernel::registry::{SpikeIn, SynapseModel, Transmit};
use nestor_kernel::rng::SynRng;
use nestor_kernel::schema::ParamSpec;
use nestor_kernel::units::Unit;
use nestor_kernel::Result;

const TAU_PLUS: usize = 0;
const LAMBDA: usize = 1;
const ALPHA: usize = 2;
const MU_PLUS: usize = 3;
const MU_MINUS: usize = 4;
const WMAX: usize = 5;

static COMMON: [ParamSpec; 6] = [
    ParamSpec::param("tau_plus", Unit::Millisecond, 20.0, "Time constant of the presynaptic trace"),
    ParamSpec::param("lambda", Unit::Dimensionless, 0.01, "Step size"),
    ParamSpec::param("alpha", Unit::Dimensionless, 1.0, "Asymmetry between depression and facilitation"),
    ParamSpec::param("mu_plus", Unit::Dimensionless, 1.0, "Weight dependence exponent, facilitation"),
    ParamSpec::param("mu_minus", Unit::Dimensionless, 1.0, "Weight dependence exponent, depression"),
    ParamSpec::param("Wmax", Unit::Dimensionless, 100.0, "Maximum allowed weight"),
];

const KPLUS: usize = 0;
const T_LAST: usize = 1;

static SCHEMA: [ParamSpec; 2] = [
    ParamSpec::state("Kplus", Unit::Dimensionless, 0.0, "Presynaptic trace"),
    ParamSpec::read_only("t_lastspike", Unit::Millisecond, 0.0, "Time of the last presynaptic spike"),
];

/// The `stdp_synapse_hom` model.
pub struct StdpSynapseHom;

impl SynapseModel for StdpSynapseHom {
    fn name(&self) -> &'static str {
        "stdp_synapse_hom"
    }
    fn doc(&self) -> &'static str {
        "pair-based STDP with power-law weight dependence and shared parameters"
    }
    fn common_schema(&self) -> &'static [ParamSpec] {
        &COMMON
    }
    fn validate_common(&self, c: &[f64]) -> Result<()> {
        positive(self.name(), "tau_plus", c[TAU_PLUS], " ms")
    }
    fn schema(&self) -> &'static [ParamSpec] {
        &SCHEMA
    }
    fn is_plastic(&self) -> bool {
        true
    }
    fn shares_state(&self) -> bool {
        true
    }
    fn validate(&self, row: &[f64], _weight: f64) -> Result<()> {
        non_negative(self.name(), "Kplus", row[KPLUS])
    }
    fn on_spike(
        &self,
        c: &[f64],
        row: &mut [f64],
        weight: &mut f64,
        spike: &SpikeIn,
        post: &mut PostView<'_>,
        _rng: &mut SynRng,
    ) -> Transmit {
        let (t_spike, d) = (spike.t, spike.delay);
        let (tau_plus, lambda, alpha) = (c[TAU_PLUS], c[LAMBDA], c[ALPHA]);
        let (mu_plus, mu_minus, wmax) = (c[MU_PLUS], c[MU_MINUS], c[WMAX]);
        let (kplus, t_last) = (row[KPLUS], row[T_LAST]);
        let mut w = *weight;
        post.history(t_last - d, t_spike - d, |e| {
            let minus_dt = t_last - (e.t + d);
            w = guetig_facilitate(w, kplus * (minus_dt / tau_plus).exp(), lambda, mu_plus, wmax);
        });
        w = guetig_depress(w, post.k_value(t_spike - d), lambda, alpha, mu_minus, wmax);
        *weight = w;
        row[KPLUS] = kplus * ((t_last - t_spike) / tau_plus).exp() + 1.0;
        row[T_LAST] = t_spike;
        Transmit { weight: w, mult: spike.mult }
    }
}
