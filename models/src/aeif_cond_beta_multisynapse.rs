//! # aeif_cond_beta_multisynapse — AdEx neuron with any number of beta-conductance receptors
//!
//! The AdEx model of Brette & Gerstner (2005) with `n` conductance-based receptor ports, each
//! with its own reversal potential `E_rev[k]` and a β-shaped (difference of exponentials)
//! conductance with rise time `tau_rise[k]` and decay time `tau_decay[k]`, normalised so that a
//! spike of weight w gives a peak of w nS (for τ_rise = τ_decay the α function of that time
//! constant). NEST 3.10's `aeif_cond_beta_multisynapse`; the neuron is
//! [`crate::aeif_cond_alpha_multisynapse::AdexPorts`] with these kinetics.
//!
//! ## Equations
//!
//! ```text
//! C_m dV/dt = −g_L (V − E_L) + g_L Δ_T exp((V − V_th)/Δ_T) + Σ_k g_k (E_rev,k − V) − w + I_e + I_stim
//! τ_w dw/dt = a (V − E_L) − w
//! d(dg_k)/dt = −dg_k / τ_rise,k        dg_k/dt = dg_k − g_k / τ_decay,k
//! ```
//!
//! A spike of weight w on receptor k adds w·N_k to dg_k after the step, with NEST's β
//! normalisation N_k = (1/τ_rise − 1/τ_decay) / (e^{−t_p/τ_decay} − e^{−t_p/τ_rise}) at the
//! peak time t_p = τ_decay τ_rise ln(τ_decay/τ_rise) / (τ_decay − τ_rise), and e/τ_decay when
//! the two time constants are (numerically) equal.
//!
//! ## Parameters
//!
//! The AdEx parameters of [`crate::aeif_cond_alpha`] and per receptor port:
//!
//! | NEST name   | unit | default | meaning                       |
//! |-------------|------|---------|-------------------------------|
//! | `E_rev`     | mV   | [0]     | reversal potential            |
//! | `tau_rise`  | ms   | [2]     | rise time of the conductance  |
//! | `tau_decay` | ms   | [20]    | decay time of the conductance |
//!
//! Changing the number of ports needs all three lists, of equal length; every time constant
//! is positive and τ_rise ≤ τ_decay ("Synaptic rise time must be smaller than or equal to decay
//! time."). The AdEx checks as in [`crate::aeif_cond_alpha_multisynapse`].
//!
//! ## State and recordables
//!
//! * Status: `V_m` (initial −70.6), `w` (pA); read-only `g`, `dg`, `n_receptors`.
//! * Recordables: `V_m`, `g_1` … `g_n`, `w`.
//!
//! ## Events
//!
//! As [`crate::aeif_cond_alpha_multisynapse`]: spikes on receptors 1..n (nS, not negative),
//! currents on receptor 0.
//!
//! ## References
//!
//! 1. Brette R, Gerstner W (2005). Adaptive exponential integrate-and-fire model as an effective
//!    description of neuronal activity. J Neurophysiol 94:3637–3642. doi:10.1152/jn.00686.2005
//! 2. Rotter S, Diesmann M (1999). Exact digital simulation of time-invariant linear systems
//!    with applications to neuronal modeling. Biol Cybern 81:381–402. doi:10.1007/s004220050570
//!
//! ## See also
//!
//! [`crate::aeif_cond_alpha_multisynapse`], [`crate::iaf_cond_exp`].

use crate::aeif_cond_alpha_multisynapse::{AdexPorts, PortKinetics};
use crate::multisynapse::PortLists;
use nestor_kernel::error::{Error, Result};

/// β-shaped conductances (`tau_rise`, `tau_decay`).
pub struct Beta;

/// The model `aeif_cond_beta_multisynapse`.
pub type AeifCondBetaMultisynapse = AdexPorts<Beta>;

/// NEST's normalisation of a β conductance: the dg jump that makes the peak of g equal 1.
pub fn beta_normalization(tau_rise: f64, tau_decay: f64) -> f64 {
    let d = tau_decay - tau_rise;
    let mut peak = 0.0;
    if d.abs() > f64::EPSILON {
        let t_peak = tau_decay * tau_rise * (tau_decay / tau_rise).ln() / d;
        peak = (-t_peak / tau_decay).exp() - (-t_peak / tau_rise).exp();
    }
    if peak.abs() < f64::EPSILON {
        std::f64::consts::E / tau_decay
    } else {
        (1.0 / tau_rise - 1.0 / tau_decay) / peak
    }
}

impl PortKinetics for Beta {
    const NAME: &'static str = "aeif_cond_beta_multisynapse";
    const SUMMARY: &'static str =
        "Adaptive exponential integrate-and-fire model with any number of beta-conductance receptors (adaptive RKF45)";
    const LISTS: &'static [&'static str] = &["E_rev", "tau_rise", "tau_decay"];
    const DEFAULTS: &'static [&'static [f64]] = &[&[0.0], &[2.0], &[20.0]];
    const ALL_LISTS_MSG: &'static str =
        "If the number of receptor ports is changed, all three arrays E_rev, tau_rise and tau_decay must be provided.";
    const SAME_SIZE_MSG: &'static str =
        "The reversal potential, synaptic rise time and synaptic decay time arrays must have the same size.";
    fn check_port(lists: &[Vec<f64>], k: usize) -> Result<()> {
        let (tr, td) = (lists[1][k], lists[2][k]);
        if tr <= 0.0 || td <= 0.0 {
            return Err(Error::bad_property(format!(
                "All synaptic time constants must be strictly positive (got tau_rise[{k}] = {tr} ms, tau_decay[{k}] = {td} ms)"
            )));
        }
        if td < tr {
            return Err(Error::bad_property(format!(
                "Synaptic rise time must be smaller than or equal to decay time. (got tau_rise[{k}] = {tr} ms, tau_decay[{k}] = {td} ms)"
            )));
        }
        Ok(())
    }
    #[inline(always)]
    fn taus(lists: &PortLists, i: usize, k: usize) -> (f64, f64) {
        (lists.get(1, i)[k], lists.get(2, i)[k])
    }
    fn g0(tau_rise: f64, tau_decay: f64) -> f64 {
        beta_normalization(tau_rise, tau_decay)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::neuron::testing::{nodes, run};
    use nestor_kernel::value::Value;

    #[test]
    fn beta_conductance_peaks_at_weight() {
        // Oracle: g(t) = w N (e^{−t/τd} − e^{−t/τr}) / (1/τr − 1/τd) peaks at w, at
        // t_p = τd τr ln(τd/τr)/(τd − τr) = 2.558 ms for τr = 1, τd = 5.
        let mut nd = nodes::<AeifCondBetaMultisynapse>(1);
        let entries = [
            ("E_rev", Value::DoubleVec(vec![-70.6])),
            ("tau_rise", Value::DoubleVec(vec![1.0])),
            ("tau_decay", Value::DoubleVec(vec![5.0])),
        ];
        let e: Vec<(&str, &Value)> = entries.iter().map(|(k, v)| (*k, v)).collect();
        let row = nd.table().row(0);
        nd.set_extra(0, &e, &row, Beta::NAME).unwrap();
        let (rec, _) = run(&mut nd, 0.1, 100, |t, ch| if t == 0 && ch == 1 { 3.0 } else { 0.0 });
        let peak = rec.iter().map(|r| r[1]).fold(0.0, f64::max);
        assert!((peak - 3.0).abs() < 2e-3, "{peak}");
        let t_peak = 5.0 * (5.0f64).ln() / 4.0;
        let k = rec.iter().position(|r| r[1] == peak).unwrap() as f64 * 0.1;
        assert!((k - t_peak).abs() < 0.1, "{k} vs {t_peak}");
        assert!((beta_normalization(2.0, 2.0) - std::f64::consts::E / 2.0).abs() < 1e-15);
    }
}
