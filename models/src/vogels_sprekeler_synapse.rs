//! `vogels_sprekeler_synapse`: symmetric inhibitory STDP (Vogels et al. 2011), as NEST's
//! `vogels_sprekeler_synapse`.
//!
//! Both spikes potentiate by η times the other side's trace; each presynaptic spike also
//! depresses by α η (α sets the target rate). On a presynaptic spike at t (dendritic delay d):
//! - for every postsynaptic spike t_post with t_last − d < t_post ≤ t − d:
//!   |w| ← min(|Wmax|, |w| + η K⁺ e^{(t_last − t_post − d)/τ});
//! - |w| ← min(|Wmax|, |w| + η K⁻(t − d)) with the postsynaptic trace K⁻ (the target's
//!   `tau_minus`, which should equal tau);
//! - |w| ← max(0, |w| − α η); the weight keeps the sign of Wmax;
//! - the spike is delivered with w; K⁺ ← K⁺ e^{(t_last − t)/τ} + 1; t_last ← t.
//!
//! | name | unit | default | meaning |
//! |---|---|---|---|
//! | weight | — | 0.5 | synaptic weight (same sign as Wmax unless 0) |
//! | delay | ms | 1.0 | dendritic delay |
//! | tau | ms | 20.0 | time constant of the presynaptic trace, > 0 |
//! | eta | — | 0.001 | learning rate |
//! | alpha | — | 0.12 | constant depression (2 × target rate × tau) |
//! | Wmax | — | 1.0 | maximum |weight| |
//! | Kplus | — | 0.0 | presynaptic trace (state, ≥ 0) |
//!
//! References: Vogels TP, Sprekeler H, Zenke F, Clopath C, Gerstner W (2011) Science 334:1569,
//! doi:10.1126/science.1211095. NEST 3.10 `models/vogels_sprekeler_synapse.h`.
//! Transmits spikes. See also: stdp_synapse.

use crate::stdp_rules::{non_negative, positive};
use nestor_kernel::archive::PostView;
use nestor_kernel::registry::{SpikeIn, SynapseModel, Transmit};
use nestor_kernel::rng::SynRng;
use nestor_kernel::schema::ParamSpec;
use nestor_kernel::units::Unit;
use nestor_kernel::{Error, Result};

const TAU: usize = 0;
const ALPHA: usize = 1;
const ETA: usize = 2;
const WMAX: usize = 3;
const KPLUS: usize = 4;
const T_LAST: usize = 5;

static SCHEMA: [ParamSpec; 6] = [
    ParamSpec::param("tau", Unit::Millisecond, 20.0, "Time constant of the presynaptic trace"),
    ParamSpec::param("alpha", Unit::Dimensionless, 0.12, "Constant depression per presynaptic spike"),
    ParamSpec::param("eta", Unit::Dimensionless, 0.001, "Learning rate"),
    ParamSpec::param("Wmax", Unit::Dimensionless, 1.0, "Maximum absolute weight"),
    ParamSpec::state("Kplus", Unit::Dimensionless, 0.0, "Presynaptic trace"),
    ParamSpec::read_only("t_lastspike", Unit::Millisecond, 0.0, "Time of the last presynaptic spike"),
];

/// The `vogels_sprekeler_synapse` model.
pub struct VogelsSprekelerSynapse;

impl SynapseModel for VogelsSprekelerSynapse {
    fn name(&self) -> &'static str {
        "vogels_sprekeler_synapse"
    }
    fn doc(&self) -> &'static str {
        "symmetric inhibitory STDP (Vogels et al. 2011)"
    }
    fn default_weight(&self) -> f64 {
        0.5
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
    fn validate(&self, row: &[f64], weight: f64) -> Result<()> {
        let m = self.name();
        let wmax = row[WMAX];
        if wmax.is_nan() || (weight != 0.0 && weight.is_sign_negative() != wmax.is_sign_negative()) {
            return Err(Error::bad_property(format!(
                "{m}: weight and Wmax must have the same sign, got weight {weight} and Wmax {wmax}"
            )));
        }
        non_negative(m, "Kplus", row[KPLUS])?;
        positive(m, "tau", row[TAU], " ms")
    }
    fn on_spike(
        &self,
        _common: &[f64],
        row: &mut [f64],
        weight: &mut f64,
        spike: &SpikeIn,
        post: &mut PostView<'_>,
        _rng: &mut SynRng,
    ) -> Transmit {
        let (t_spike, d) = (spike.t, spike.delay);
        let (tau, alpha, eta, wmax) = (row[TAU], row[ALPHA], row[ETA], row[WMAX]);
        let (kplus, t_last) = (row[KPLUS], row[T_LAST]);
        let facilitate = |w: f64, k: f64| {
            let new_w = w.abs() + eta * k;
            (if new_w < wmax.abs() { new_w } else { wmax }).copysign(wmax)
        };
        let mut w = *weight;
        post.history(t_last - d, t_spike - d, |e| {
            let minus_dt = t_last - (e.t + d);
            w = facilitate(w, kplus * (minus_dt / tau).exp());
        });
        w = facilitate(w, post.k_value(t_spike - d));
        let new_w = w.abs() - alpha * eta;
        w = (if new_w > 0.0 { new_w } else { 0.0 }).copysign(wmax);
        *weight = w;
        row[KPLUS] = kplus * ((t_last - t_spike) / tau).exp() + 1.0;
        row[T_LAST] = t_spike;
        Transmit { weight: w, mult: spike.mult }
    }
}
