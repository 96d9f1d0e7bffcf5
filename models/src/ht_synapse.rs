//! `ht_synapse`: synaptic depression with recovery after Hill & Tononi (2005), as NEST's
//! `ht_synapse`.
//!
//! The vesicle pool P recovers towards 1 with time constant τ_P, dP/dt = (1 − P)/τ_P, and each
//! presynaptic spike uses a fraction δ_P of it. At a presynaptic spike h ms after the previous
//! one (the first spike counts from t = 0, when P = 1 unless set):
//! - P ← 1 − (1 − P) e^{−h/τ_P};
//! - the target receives `weight · P`;
//! - P ← (1 − δ_P) P.
//!
//! | name | unit | default | meaning |
//! |---|---|---|---|
//! | weight | — | 1.0 | weight of a full pool (P = 1) |
//! | delay | ms | 1.0 | delay |
//! | tau_P | ms | 500.0 | recovery time constant of the pool, > 0 |
//! | delta_P | — | 0.125 | fraction of the pool used per spike, in [0, 1] |
//! | P | — | 1.0 | current pool size (state), in [0, 1] |
//!
//! Checks (NEST's order, `BadProperty`, NEST's text and the value): `tau_P > 0`,
//! `0 <= delta_P <= 1`, `0 <= P <= 1`. nestor also shows the read-only `t_lastspike` (ms) that
//! NEST keeps but does not show. Spike times are on the step grid (no precise offsets), as in NEST.
//! References: Hill S, Tononi G (2005) J Neurophysiol 93:1671–1698, doi:10.1152/jn.00915.2004
//! (p. 1678). NEST 3.10 `models/ht_synapse.h`.
//! Transmits spikes. See also: ht_neuron, tsodyks_synapse, tsodyks2_synapse.

use nestor_kernel::archive::PostView;
use nestor_kernel::registry::{SpikeIn, SynapseModel, Transmit};
use nestor_kernel::rng::SynRng;
use nestor_kernel::schema::ParamSpec;
use nestor_kernel::units::Unit;
use nestor_kernel::{Error, Result};

const TAU_P: usize = 0;
const DELTA_P: usize = 1;
const P: usize = 2;
const T_LAST: usize = 3;

static SCHEMA: [ParamSpec; 4] = [
    ParamSpec::param("tau_P", Unit::Millisecond, 500.0, "Recovery time constant of the vesicle pool"),
    ParamSpec::param("delta_P", Unit::Dimensionless, 0.125, "Fraction of the pool used per spike"),
    ParamSpec::state("P", Unit::Dimensionless, 1.0, "Current size of the vesicle pool"),
    ParamSpec::read_only("t_lastspike", Unit::Millisecond, 0.0, "Time of the last presynaptic spike"),
];

/// The `ht_synapse` model.
pub struct HtSynapse;

impl SynapseModel for HtSynapse {
    fn name(&self) -> &'static str {
        "ht_synapse"
    }
    fn doc(&self) -> &'static str {
        "synaptic depression with recovery after Hill & Tononi (2005)"
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
        if row[TAU_P] <= 0.0 {
            return Err(Error::bad_property(format!("tau_P > 0 required. (got tau_P = {} ms)", row[TAU_P])));
        }
        if row[DELTA_P] < 0.0 || row[DELTA_P] > 1.0 {
            return Err(Error::bad_property(format!("0 <= delta_P <= 1 required. (got delta_P = {})", row[DELTA_P])));
        }
        if row[P] < 0.0 || row[P] > 1.0 {
            return Err(Error::bad_property(format!("0 <= P <= 1 required. (got P = {})", row[P])));
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
        let p = 1.0 - (1.0 - row[P]) * (-h / row[TAU_P]).exp();
        let w = *weight * p;
        row[P] = p * (1.0 - row[DELTA_P]);
        row[T_LAST] = spike.t;
        Transmit { weight: w, mult: spike.mult }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nestor_kernel::archive::Archive;
    use nestor_kernel::ErrorKind;

    #[test]
    fn depression_and_recovery_follow_the_closed_form() {
        // Oracle: between spikes 1 − P decays as e^{−h/τ_P}; each spike delivers w·P and then
        // keeps (1 − δ_P)·P (NEST's ht_synapse::send). Spikes at 10, 20 ms and 1000 ms.
        let s = HtSynapse;
        let (tau, delta, w0) = (100.0, 0.5, 3.0);
        let mut row = [tau, delta, 0.7, 0.0];
        let mut archive = Archive::new(1);
        let mut rng = SynRng::new(0, 0, 0, 0);
        let mut p = 0.7f64;
        let mut t_last = 0.0;
        for t in [10.0, 20.0, 1000.0] {
            let mut w = w0;
            let spike = SpikeIn { t, delay: 1.0, mult: 2 };
            let tr = s.on_spike(&[], &mut row, &mut w, &spike, &mut archive.view(0), &mut rng);
            p = 1.0 - (1.0 - p) * (-(t - t_last) / tau).exp();
            assert!((tr.weight - w0 * p).abs() < 1e-15, "t {t}: {} vs {}", tr.weight, w0 * p);
            assert_eq!(tr.mult, 2);
            assert_eq!(w, w0, "the weight itself does not change");
            p *= 1.0 - delta;
            t_last = t;
            assert!((row[P] - p).abs() < 1e-15);
        }
        // After 980 ms (9.8 τ_P) the pool has nearly recovered.
        assert!(row[P] > 0.49 && row[P] < 0.5);
    }

    #[test]
    fn checks_follow_nest() {
        // Oracle: NEST 3.10 ht_synapse::set_status — BadProperty, in this order.
        let s = HtSynapse;
        let ok = [500.0, 0.125, 1.0, 0.0];
        assert!(s.validate(&ok, 1.0).is_ok());
        for (row, msg) in [
            ([0.0, 0.125, 1.0, 0.0], "tau_P > 0 required. (got tau_P = 0 ms)"),
            ([-5.0, 2.0, 1.0, 0.0], "tau_P > 0 required."),
            ([500.0, -0.1, 1.0, 0.0], "0 <= delta_P <= 1 required. (got delta_P = -0.1)"),
            ([500.0, 1.5, 2.0, 0.0], "0 <= delta_P <= 1 required."),
            ([500.0, 0.5, 1.01, 0.0], "0 <= P <= 1 required. (got P = 1.01)"),
            ([500.0, 0.5, -0.5, 0.0], "0 <= P <= 1 required."),
        ] {
            let e = s.validate(&row, 1.0).unwrap_err();
            assert_eq!(e.kind, ErrorKind::BadProperty);
            assert!(e.message.starts_with(msg), "{} vs {msg}", e.message);
        }
        // The bounds themselves are allowed.
        assert!(s.validate(&[1e-3, 1.0, 0.0, 0.0], 1.0).is_ok());
        assert!(s.validate(&[1e-3, 0.0, 1.0, 0.0], 1.0).is_ok());
    }
}
