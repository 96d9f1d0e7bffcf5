//! `tsodyks_synapse`: short-term depression and facilitation with the synaptic current's decay
//! in the resource dynamics (Tsodyks, Uziel & Markram 2000), as NEST's `tsodyks_synapse`.
//!
//! Resources are recovered (x), active (y) or inactive (z = 1 − x − y); u is the utilisation.
//! Between spikes, y decays with τ_psc into z, z recovers into x with τ_rec, u decays with τ_fac.
//! At a presynaptic spike h ms after the previous one (the first spike counts from t = 0):
//! - P_uu = e^{−h/τ_fac} (0 if τ_fac = 0), P_yy = e^{−h/τ_psc}, P_zz = expm1(−h/τ_rec),
//!   P_xy = (P_zz τ_rec − (P_yy − 1) τ_psc)/(τ_psc − τ_rec);
//! - u ← u P_uu; x ← x + P_xy y − P_zz z; y ← y P_yy; u ← u + U (1 − u);
//! - Δy = u x; x ← x − Δy; y ← y + Δy; the target receives `weight · Δy`.
//!
//! | name | unit | default | meaning |
//! |---|---|---|---|
//! | weight | — | 1.0 | weight scaling the released fraction |
//! | delay | ms | 1.0 | delay |
//! | U | — | 0.5 | increment of u per spike, in [0, 1] |
//! | tau_psc | ms | 3.0 | decay of the active resources (the PSC), > 0 and ≠ tau_rec |
//! | tau_rec | ms | 800.0 | recovery time constant, > 0 |
//! | tau_fac | ms | 0.0 | facilitation time constant, ≥ 0 (0: none) |
//! | x | — | 1.0 | recovered resources (state), x + y ≤ 1 |
//! | y | — | 0.0 | active resources (state) |
//! | u | — | 0.0 | utilisation (state), in [0, 1] |
//!
//! tau_psc should equal the target's synaptic time constant. NEST accepts tau_psc = tau_rec and
//! then delivers NaN; nestor refuses it.
//! References: Tsodyks M, Uziel A, Markram H (2000) J Neurosci 20:RC50,
//! doi:10.1523/JNEUROSCI.20-01-j0003.2000. NEST 3.10 `models/tsodyks_synapse.h`.
//! Transmits spikes. See also: tsodyks2_synapse, quantal_stp_synapse.

use crate::stdp_rules::{non_negative, positive, unit_interval};
use nestor_kernel::archive::PostView;
use nestor_kernel::registry::{SpikeIn, SynapseModel, Transmit};
use nestor_kernel::rng::SynRng;
use nestor_kernel::schema::ParamSpec;
use nestor_kernel::units::Unit;
use nestor_kernel::{Error, Result};

const U_INC: usize = 0;
const TAU_PSC: usize = 1;
const TAU_REC: usize = 2;
const TAU_FAC: usize = 3;
const X: usize = 4;
const Y: usize = 5;
const U: usize = 6;
const T_LAST: usize = 7;

static SCHEMA: [ParamSpec; 8] = [
    ParamSpec::param("U", Unit::Dimensionless, 0.5, "Increment of the utilisation per spike"),
    ParamSpec::param("tau_psc", Unit::Millisecond, 3.0, "Decay time constant of the active resources"),
    ParamSpec::param("tau_rec", Unit::Millisecond, 800.0, "Recovery time constant"),
    ParamSpec::param("tau_fac", Unit::Millisecond, 0.0, "Facilitation time constant (0: none)"),
    ParamSpec::state("x", Unit::Dimensionless, 1.0, "Fraction of recovered resources"),
    ParamSpec::state("y", Unit::Dimensionless, 0.0, "Fraction of active resources"),
    ParamSpec::state("u", Unit::Dimensionless, 0.0, "Utilisation of the resources"),
    ParamSpec::read_only("t_lastspike", Unit::Millisecond, 0.0, "Time of the last presynaptic spike"),
];

/// The `tsodyks_synapse` model.
pub struct TsodyksSynapse;

impl SynapseModel for TsodyksSynapse {
    fn name(&self) -> &'static str {
        "tsodyks_synapse"
    }
    fn doc(&self) -> &'static str {
        "short-term depression and facilitation with PSC decay (Tsodyks, Uziel & Markram 2000)"
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
        let m = self.name();
        if (row[X] + row[Y]).is_nan() || row[X] + row[Y] > 1.0 {
            return Err(Error::bad_property(format!("{m}: x + y must be <= 1.0, got x {} and y {}", row[X], row[Y])));
        }
        unit_interval(m, "U", row[U_INC])?;
        positive(m, "tau_psc", row[TAU_PSC], " ms")?;
        positive(m, "tau_rec", row[TAU_REC], " ms")?;
        non_negative(m, "tau_fac", row[TAU_FAC])?;
        unit_interval(m, "u", row[U])?;
        if row[TAU_PSC] == row[TAU_REC] {
            return Err(Error::bad_property(format!(
                "{m}: 'tau_psc' must differ from 'tau_rec' (both {} ms); the propagator divides by their difference",
                row[TAU_REC]
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
        _rng: &mut SynRng,
    ) -> Transmit {
        let h = spike.t - row[T_LAST];
        let (tau_psc, tau_rec, tau_fac) = (row[TAU_PSC], row[TAU_REC], row[TAU_FAC]);
        let puu = if tau_fac == 0.0 { 0.0 } else { (-h / tau_fac).exp() };
        let pyy = (-h / tau_psc).exp();
        let pzz = (-h / tau_rec).exp_m1();
        let pxy = (pzz * tau_rec - (pyy - 1.0) * tau_psc) / (tau_psc - tau_rec);
        let (mut x, mut y, mut u) = (row[X], row[Y], row[U]);
        let z = 1.0 - x - y;
        u *= puu;
        x += pxy * y - pzz * z;
        y *= pyy;
        u += row[U_INC] * (1.0 - u);
        let dy = u * x;
        x -= dy;
        y += dy;
        row[X] = x;
        row[Y] = y;
        row[U] = u;
        row[T_LAST] = spike.t;
        Transmit { weight: dy * *weight, mult: spike.mult }
    }
}
