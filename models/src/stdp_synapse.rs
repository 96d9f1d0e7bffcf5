//! `stdp_synapse`: spike-timing dependent plasticity with power-law weight dependence
//! (Guetig et al. 2003), as NEST's `stdp_synapse`.
//!
//! On each presynaptic spike at t (the delay is dendritic, d):
//! - facilitation for every postsynaptic spike t_post with t_last − d < t_post ≤ t − d:
//!   w ← min(Wmax, Wmax·(w/Wmax + λ (1 − w/Wmax)^μ₊ K⁺ e^{(t_last − t_post − d)/τ₊}));
//! - depression with the postsynaptic trace K⁻ just before t − d:
//!   w ← max(0, Wmax·(w/Wmax − α λ (w/Wmax)^μ₋ K⁻));
//! - the spike is delivered with the new w; then K⁺ ← K⁺ e^{(t_last − t)/τ₊} + 1, t_last ← t.
//!
//! | name | unit | default | meaning |
//! |---|---|---|---|
//! | weight | — | 1.0 | synaptic weight (same sign as Wmax) |
//! | delay | ms | 1.0 | dendritic delay |
//! | tau_plus | ms | 20.0 | time constant of the presynaptic trace K⁺ |
//! | lambda | — | 0.01 | step size |
//! | alpha | — | 1.0 | asymmetry between depression and facilitation |
//! | mu_plus | — | 1.0 | weight dependence exponent, facilitation |
//! | mu_minus | — | 1.0 | weight dependence exponent, depression |
//! | Wmax | — | 100.0 | maximum weight |
//! | Kplus | — | 0.0 | presynaptic trace (state) |
//! | t_lastspike | ms | 0.0 | time of the last presynaptic spike (state, NEST keeps it internal) |
//!
//! The postsynaptic K⁻ trace uses the target neuron's `tau_minus` (default 20 ms).
//! References: Guetig R, Aharonov R, Rotter S, Sompolinsky H (2003) J Neurosci 23:3697,
//! doi:10.1523/JNEUROSCI.23-09-03697.2003; Rubin J, Lee D, Sompolinsky H (2001) PRL 86:364.
//! NEST 3.10 `models/stdp_synapse.h`. Transmits spikes. See also: static_synapse.

use crate::stdp_rules::{guetig_depress, guetig_facilitate};
use nestor_kernel::archive::PostView;
use nestor_kernel::registry::{SpikeIn, SynapseModel, Transmit};
use nestor_kernel::rng::SynRng;
use nestor_kernel::schema::ParamSpec;
use nestor_kernel::units::Unit;
use nestor_kernel::{Error, Result};

const TAU_PLUS: usize = 0;
const LAMBDA: usize = 1;
const ALPHA: usize = 2;
const MU_PLUS: usize = 3;
const MU_MINUS: usize = 4;
const WMAX: usize = 5;
const KPLUS: usize = 6;
const T_LAST: usize = 7;

static SCHEMA: [ParamSpec; 8] = [
    ParamSpec::param("tau_plus", Unit::Millisecond, 20.0, "Time constant of the presynaptic trace"),
    ParamSpec::param("lambda", Unit::Dimensionless, 0.01, "Step size"),
    ParamSpec::param("alpha", Unit::Dimensionless, 1.0, "Asymmetry between depression and facilitation"),
    ParamSpec::param("mu_plus", Unit::Dimensionless, 1.0, "Weight dependence exponent, facilitation"),
    ParamSpec::param("mu_minus", Unit::Dimensionless, 1.0, "Weight dependence exponent, depression"),
    ParamSpec::param("Wmax", Unit::Dimensionless, 100.0, "Maximum allowed weight"),
    ParamSpec::state("Kplus", Unit::Dimensionless, 0.0, "Presynaptic trace"),
    ParamSpec::read_only("t_lastspike", Unit::Millisecond, 0.0, "Time of the last presynaptic spike"),
];

/// The `stdp_synapse` model.
pub struct StdpSynapse;

impl SynapseModel for StdpSynapse {
    fn name(&self) -> &'static str {
        "stdp_synapse"
    }
    fn doc(&self) -> &'static str {
        "pair-based STDP with power-law weight dependence"
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
        let wmax = row[WMAX];
        if (weight >= 0.0) != (wmax >= 0.0) {
            return Err(Error::bad_property(format!(
                "stdp_synapse: weight and Wmax must have the same sign, got weight {weight} and Wmax {wmax}"
            )));
        }
        if row[KPLUS] < 0.0 {
            return Err(Error::bad_property(format!("stdp_synapse: Kplus must be non-negative, got {}", row[KPLUS])));
        }
        if row[TAU_PLUS].is_nan() || row[TAU_PLUS] <= 0.0 {
            return Err(Error::bad_property(format!("stdp_synapse: tau_plus must be > 0 ms, got {}", row[TAU_PLUS])));
        }
        Ok(())
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
        let (tau_plus, lambda, alpha) = (row[TAU_PLUS], row[LAMBDA], row[ALPHA]);
        let (mu_plus, mu_minus, wmax) = (row[MU_PLUS], row[MU_MINUS], row[WMAX]);
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
