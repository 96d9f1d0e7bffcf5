//! `tsodyks2_synapse`: short-term depression and facilitation (Tsodyks & Markram 1997, in the
//! formulation of Maass & Markram 2002), as NEST's `tsodyks2_synapse`.
//!
//! For the n-th presynaptic spike, h ms after the previous one (nothing changes at the first):
//! x ← 1 + (x − x·u − 1)·e^{−h/τ_rec},  u ← U + u·(1 − U)·e^{−h/τ_fac} (no facilitation if τ_fac = 0);
//! the target receives `weight · x · u`.
//!
//! | name | unit | default | meaning |
//! |---|---|---|---|
//! | weight | — | 1.0 | maximal weight |
//! | delay | ms | 1.0 | delay |
//! | U | — | 0.5 | increment of u per spike, in [0, 1] |
//! | u | — | 0.5 | utilisation (state), in [0, 1] |
//! | x | — | 1.0 | available resources (state) |
//! | tau_rec | ms | 800.0 | recovery time constant, > 0 |
//! | tau_fac | ms | 0.0 | facilitation time constant, ≥ 0 (0: none) |
//!
//! References: Tsodyks M, Markram H (1997) PNAS 94:719, doi:10.1073/pnas.94.2.719; Maass W,
//! Markram H (2002) J Comput Syst Sci 64:873. NEST 3.10 `models/tsodyks2_synapse.h`.
//! Transmits spikes. See also: stdp_synapse.

use nestor_kernel::archive::PostView;
use nestor_kernel::registry::{SpikeIn, SynapseModel, Transmit};
use nestor_kernel::rng::SynRng;
use nestor_kernel::schema::ParamSpec;
use nestor_kernel::units::Unit;
use nestor_kernel::{Error, Result};

const U_INC: usize = 0;
const U: usize = 1;
const X: usize = 2;
const TAU_REC: usize = 3;
const TAU_FAC: usize = 4;
const T_LAST: usize = 5;

static SCHEMA: [ParamSpec; 6] = [
    ParamSpec::param("U", Unit::Dimensionless, 0.5, "Increment of the utilisation per spike"),
    ParamSpec::state("u", Unit::Dimensionless, 0.5, "Utilisation of the resources"),
    ParamSpec::state("x", Unit::Dimensionless, 1.0, "Fraction of available resources"),
    ParamSpec::param("tau_rec", Unit::Millisecond, 800.0, "Recovery time constant"),
    ParamSpec::param("tau_fac", Unit::Millisecond, 0.0, "Facilitation time constant (0: none)"),
    ParamSpec::read_only("t_lastspike", Unit::Millisecond, -1.0, "Time of the last presynaptic spike (-1: none yet)"),
];

/// The `tsodyks2_synapse` model.
pub struct Tsodyks2Synapse;

impl SynapseModel for Tsodyks2Synapse {
    fn name(&self) -> &'static str {
        "tsodyks2_synapse"
    }
    fn doc(&self) -> &'static str {
        "short-term depression and facilitation (Tsodyks & Markram)"
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
    fn needs_post_history(&self) -> bool {
        false
    }
    fn validate(&self, row: &[f64], _weight: f64) -> Result<()> {
        let in_unit = |x: f64| (0.0..=1.0).contains(&x);
        if !in_unit(row[U_INC]) {
            return Err(Error::bad_property(format!("tsodyks2_synapse: 'U' must be in [0,1], got {}", row[U_INC])));
        }
        if !in_unit(row[U]) {
            return Err(Error::bad_property(format!("tsodyks2_synapse: 'u' must be in [0,1], got {}", row[U])));
        }
        if row[TAU_REC].is_nan() || row[TAU_REC] <= 0.0 {
            return Err(Error::bad_property(format!("tsodyks2_synapse: 'tau_rec' must be > 0, got {}", row[TAU_REC])));
        }
        if row[TAU_FAC].is_nan() || row[TAU_FAC] < 0.0 {
            return Err(Error::bad_property(format!("tsodyks2_synapse: 'tau_fac' must be >= 0, got {}", row[TAU_FAC])));
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
        _rng: &mut SynRng,
    ) -> Transmit {
        let t_spike = spike.t;
        if row[T_LAST] >= 0.0 {
            let h = t_spike - row[T_LAST];
            let x_decay = (-h / row[TAU_REC]).exp();
            let u_decay = if row[TAU_FAC] == 0.0 { 0.0 } else { (-h / row[TAU_FAC]).exp() };
            let (x, u) = (row[X], row[U]);
            row[X] = 1.0 + (x - x * u - 1.0) * x_decay;
            row[U] = row[U_INC] + u * (1.0 - row[U_INC]) * u_decay;
        }
        row[T_LAST] = t_spike;
        Transmit { weight: row[X] * row[U] * *weight, mult: spike.mult }
    }
}
