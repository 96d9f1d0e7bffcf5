//! What the STDP-family synapse models share: Gütig et al.'s (2003) power-law weight updates,
//! the checks of their parameters (with the messages nestor gives for bad input) and the
//! signature every rule implements. Each function evaluates its terms in NEST's order, so the
//! weights are bitwise NEST's.

use nestor_kernel::{Error, Result};

/// Facilitation with power-law weight dependence, clipped at `wmax`:
/// w/Wmax + λ (1 − w/Wmax)^μ₊ k, times Wmax (NEST's `facilitate_` of stdp_synapse).
#[inline]
pub fn guetig_facilitate(w: f64, k: f64, lambda: f64, mu_plus: f64, wmax: f64) -> f64 {
    let norm = w / wmax + lambda * (1.0 - w / wmax).powf(mu_plus) * k;
    if norm < 1.0 {
        norm * wmax
    } else {
        wmax
    }
}

/// Depression with power-law weight dependence, clipped at 0:
/// w/Wmax − α λ (w/Wmax)^μ₋ k, times Wmax (NEST's `depress_` of stdp_synapse).
#[inline]
pub fn guetig_depress(w: f64, k: f64, lambda: f64, alpha: f64, mu_minus: f64, wmax: f64) -> f64 {
    let norm = w / wmax - alpha * lambda * (w / wmax).powf(mu_minus) * k;
    if norm > 0.0 {
        norm * wmax
    } else {
        0.0
    }
}

/// `x > 0` (rejects NaN): time constants.
pub fn positive(model: &str, name: &str, x: f64, unit: &str) -> Result<()> {
    if x.is_nan() || x <= 0.0 {
        return Err(Error::bad_property(format!("{model}: '{name}' must be > 0{unit}, got {x}")));
    }
    Ok(())
}

/// `x ≥ 0` (rejects NaN): traces and facilitation time constants.
pub fn non_negative(model: &str, name: &str, x: f64) -> Result<()> {
    if x.is_nan() || x < 0.0 {
        return Err(Error::bad_property(format!("{model}: '{name}' must be >= 0, got {x}")));
    }
    Ok(())
}

/// `x ∈ [0, 1]` (rejects NaN): probabilities and utilisations.
pub fn unit_interval(model: &str, name: &str, x: f64) -> Result<()> {
    if !(0.0..=1.0).contains(&x) {
        return Err(Error::bad_property(format!("{model}: '{name}' must be in [0,1], got {x}")));
    }
    Ok(())
}

/// Weight and Wmax of the same sign (NEST counts 0 as positive).
pub fn same_sign(model: &str, weight: f64, wmax: f64) -> Result<()> {
    if (weight >= 0.0) != (wmax >= 0.0) || wmax.is_nan() {
        return Err(Error::bad_property(format!(
            "{model}: weight and Wmax must have the same sign, got weight {weight} and Wmax {wmax}"
        )));
    }
    Ok(())
}
