//! `quantal_stp_synapse`: stochastic short-term plasticity with a finite number of release sites
//! (Fuhrmann et al. 2002; Loebel et al. 2009), as NEST's `quantal_stp_synapse`.
//!
//! A connection has n release sites, a of them available. At a presynaptic spike h ms after the
//! previous one (nothing decays before the first):
//! - u ← U + u (1 − U) e^{−h/τ_fac} (e^{…} = 0 if τ_fac < 1e-10);
//! - each of the n − a depleted sites recovers with probability 1 − e^{−h/τ_rec};
//!
//! then each of the a available sites releases with probability u. If k ≥ 1 sites release, the
//! target receives one event of weight k · weight and a ← a − k; otherwise nothing is sent.
//!
//! The draws come from the connection's own stream for this spike (keyed by seed, connection
//! and time step, never by thread), so they differ from NEST's draw by draw but not in law.
//!
//! | name | unit | default | meaning |
//! |---|---|---|---|
//! | weight | — | 1.0 | weight of one released quantum |
//! | delay | ms | 1.0 | delay |
//! | U | — | 0.5 | increment of u per spike, in [0, 1] |
//! | u | — | 0.5 | release probability (state), in [0, 1] |
//! | tau_rec | ms | 800.0 | recovery time constant, > 0 |
//! | tau_fac | ms | 0.0 | facilitation time constant, ≥ 0 |
//! | n | integer | 1 | number of release sites, ≥ 0 |
//! | a | integer | 1 | available release sites (state), 0 ≤ a ≤ n |
//!
//! NEST does not check n and a; nestor refuses a < 0, n < 0 and a > n.
//! References: Fuhrmann G, Segev I, Markram H, Tsodyks M (2002) J Neurophysiol 87:140,
//! doi:10.1152/jn.00258.2001; Loebel A et al. (2009) Front Comput Neurosci 3:27,
//! doi:10.3389/neuro.10.027.2009. NEST 3.10 `models/quantal_stp_synapse.h`.
//! Transmits spikes. See also: tsodyks2_synapse, bernoulli_synapse.

use crate::stdp_rules::{non_negative, positive, unit_interval};
use nestor_kernel::archive::PostView;
use nestor_kernel::registry::{SpikeIn, SynapseModel, Transmit};
use nestor_kernel::rng::SynRng;
use nestor_kernel::schema::ParamSpec;
use nestor_kernel::units::Unit;
use nestor_kernel::{Error, Result};

const U_INC: usize = 0;
const U: usize = 1;
const TAU_REC: usize = 2;
const TAU_FAC: usize = 3;
const N: usize = 4;
const A: usize = 5;
const T_LAST: usize = 6;

static SCHEMA: [ParamSpec; 7] = [
    ParamSpec::param("U", Unit::Dimensionless, 0.5, "Increment of the release probability per spike"),
    ParamSpec::state("u", Unit::Dimensionless, 0.5, "Release probability"),
    ParamSpec::param("tau_rec", Unit::Millisecond, 800.0, "Recovery time constant"),
    ParamSpec::param("tau_fac", Unit::Millisecond, 0.0, "Facilitation time constant (0: none)"),
    ParamSpec::param("n", Unit::Integer, 1.0, "Number of release sites"),
    ParamSpec::state("a", Unit::Integer, 1.0, "Number of available release sites"),
    ParamSpec::read_only("t_lastspike", Unit::Millisecond, -1.0, "Time of the last presynaptic spike (-1: none yet)"),
];

/// The `quantal_stp_synapse` model.
pub struct QuantalStpSynapse;

impl SynapseModel for QuantalStpSynapse {
    fn name(&self) -> &'static str {
        "quantal_stp_synapse"
    }
    fn doc(&self) -> &'static str {
        "stochastic short-term plasticity with quantal release sites"
    }
    fn schema(&self) -> &'static [ParamSpec] {
        &SCHEMA
    }
    fn is_plastic(&self) -> bool {
        true
    }
    fn needs_post_history(&self) -> bool {
        false
    }
    fn needs_rng(&self) -> bool {
        true
    }
    fn validate(&self, row: &[f64], _weight: f64) -> Result<()> {
        let m = self.name();
        unit_interval(m, "U", row[U_INC])?;
        unit_interval(m, "u", row[U])?;
        positive(m, "tau_rec", row[TAU_REC], " ms")?;
        non_negative(m, "tau_fac", row[TAU_FAC])?;
        non_negative(m, "n", row[N])?;
        if !(row[A] >= 0.0 && row[A] <= row[N]) {
            return Err(Error::bad_property(format!(
                "{m}: 'a' (available sites) must be in [0, n] = [0, {}], got {}",
                row[N], row[A]
            )));
        }
        Ok(())
    }
    fn on_spike(
        &self,
        _common: &[f64],
        row: &mut [f64],
        weight: &mut f64,
        spike: &SpikeIn,
        _post: &mut PostView<'_>,
        rng: &mut SynRng,
    ) -> Transmit {
        let (n, mut a) = (row[N] as i64, row[A] as i64);
        if row[T_LAST] >= 0.0 {
            let h = spike.t - row[T_LAST];
            let p_decay = (-h / row[TAU_REC]).exp();
            let u_decay = if row[TAU_FAC] < 1.0e-10 { 0.0 } else { (-h / row[TAU_FAC]).exp() };
            row[U] = row[U_INC] + row[U] * (1.0 - row[U_INC]) * u_decay;
            for _ in 0..(n - a).max(0) {
                if rng.uniform() < 1.0 - p_decay {
                    a += 1;
                }
            }
        }
        let u = row[U];
        let mut released = 0i64;
        for _ in 0..a.max(0) {
            if rng.uniform() < u {
                released += 1;
            }
        }
        row[T_LAST] = spike.t;
        row[A] = (a - released) as f64;
        if released == 0 {
            return Transmit { weight: 0.0, mult: 0 };
        }
        Transmit { weight: released as f64 * *weight, mult: spike.mult }
    }
}
