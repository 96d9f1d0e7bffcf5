//! Adaptive Runge–Kutta–Fehlberg 4(5) integration with the step-size control NEST uses for its
//! conductance-based and Hodgkin–Huxley models.
//!
//! NEST integrates these models with GSL: the `rkf45` stepper, the standard step-size control
//! "on y" (`gsl_odeiv_control_y_new(eps_abs = 1e-3, eps_rel = 0)`) and `gsl_odeiv_evolve_apply`
//! called in a loop until one simulation step h is covered. The suggested integration step is
//! kept per neuron from one simulation step to the next (NEST's `IntegrationStep_`, set to h when
//! the node is initialised). This module is an independent Rust implementation of that documented
//! algorithm (no GSL code), for fixed-size systems, without allocation:
//!
//! * **Stepper.** The Fehlberg tableau (nodes 1/4, 3/8, 12/13, 1, 1/2). The *fifth-order*
//!   solution is propagated (as GSL does), the difference between the fifth- and fourth-order
//!   solutions is the error estimate `yerr`. The first stage reuses the derivative at the start of
//!   the attempt, which is computed once per `evolve_apply` call.
//! * **Control.** With `D_i = eps_rel·|y_i| + eps_abs` and `r = max_i |yerr_i| / D_i`:
//!   r > 1.1 → reject and retry with `h · max(0.9 r^{−1/5}, 0.2)`; r < 0.5 → accept and suggest
//!   `h · clamp(0.9 r^{−1/6}, 1, 5)`; otherwise accept and keep h. A retry is made only when the
//!   smaller step still moves t by at least one ulp (otherwise the step is accepted as it is).
//! * **Evolve.** A step that would pass the end of the interval is shortened to end exactly
//!   there, and the (possibly adjusted) length of that last step is what is suggested for the
//!   next call.
//!
//! The arithmetic follows the same order of operations as the GSL routines, so traces agree with
//! NEST to round-off in most cases; where a rounding difference flips an accept/reject decision
//! the traces still agree to well within the controller's tolerance (validation category
//! `adaptive`, `validation/TOLERANCES.md`).
//!
//! References: E. Fehlberg (1969), NASA TR R-315; GSL reference manual, "Ordinary Differential
//! Equations" (`gsl_odeiv_step_rkf45`, `gsl_odeiv_control_standard_new`, `gsl_odeiv_evolve_apply`).

/// Absolute error bound of NEST's conductance models (`gsl_odeiv_control_y_new(1e-3, 0.0)`).
pub const NEST_EPS_ABS: f64 = 1e-3;
/// Relative error bound of NEST's conductance models.
pub const NEST_EPS_REL: f64 = 0.0;

/// Most integration sub-steps per simulation step before the integrator gives up advancing with
/// the controller and finishes the step with the current step size (guards against a hang on a
/// pathological system; NEST has no such guard and never reaches it for its models).
pub const MAX_SUBSTEPS: usize = 1_000_000;

// Fehlberg tableau (GSL's rkf45 coefficients, written as the same fractions).
const AH: [f64; 5] = [1.0 / 4.0, 3.0 / 8.0, 12.0 / 13.0, 1.0, 1.0 / 2.0];
const B3: [f64; 2] = [3.0 / 32.0, 9.0 / 32.0];
const B4: [f64; 3] = [1932.0 / 2197.0, -7200.0 / 2197.0, 7296.0 / 2197.0];
const B5: [f64; 4] = [8341.0 / 4104.0, -32832.0 / 4104.0, 29440.0 / 4104.0, -845.0 / 4104.0];
const B6: [f64; 5] = [-6080.0 / 20520.0, 41040.0 / 20520.0, -28352.0 / 20520.0, 9295.0 / 20520.0, -5643.0 / 20520.0];
// Fifth-order weights.
const C1: f64 = 902880.0 / 7618050.0;
const C3: f64 = 3953664.0 / 7618050.0;
const C4: f64 = 3855735.0 / 7618050.0;
const C5: f64 = -1371249.0 / 7618050.0;
const C6: f64 = 277020.0 / 7618050.0;
// Fifth minus fourth order weights (error estimate).
const EC1: f64 = 1.0 / 360.0;
const EC3: f64 = -128.0 / 4275.0;
const EC4: f64 = -2197.0 / 75240.0;
const EC5: f64 = 1.0 / 50.0;
const EC6: f64 = 2.0 / 55.0;
/// Order of the stepper as the controller uses it.
const ORDER: f64 = 5.0;

/// The error tolerances of the standard control on y (a_y = 1, a_dydt = 0).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tolerance {
    /// Absolute error bound.
    pub eps_abs: f64,
    /// Relative error bound.
    pub eps_rel: f64,
}

impl Tolerance {
    /// NEST's tolerance for its GSL-integrated neuron models.
    pub const NEST: Tolerance = Tolerance { eps_abs: NEST_EPS_ABS, eps_rel: NEST_EPS_REL };
}

/// One RKF45 step of length `h` from `y` (derivative `k1` at y); overwrites `y` with the
/// fifth-order solution and `yerr` with the error estimate.
#[inline(always)]
fn rkf45_step<const N: usize, F: FnMut(&[f64; N], &mut [f64; N])>(
    f: &mut F,
    h: f64,
    y: &mut [f64; N],
    k1: &[f64; N],
    yerr: &mut [f64; N],
) {
    let mut ytmp = [0.0; N];
    let (mut k2, mut k3, mut k4, mut k5, mut k6) = ([0.0; N], [0.0; N], [0.0; N], [0.0; N], [0.0; N]);
    for i in 0..N {
        ytmp[i] = y[i] + AH[0] * h * k1[i];
    }
    f(&ytmp, &mut k2);
    for i in 0..N {
        ytmp[i] = y[i] + h * (B3[0] * k1[i] + B3[1] * k2[i]);
    }
    f(&ytmp, &mut k3);
    for i in 0..N {
        ytmp[i] = y[i] + h * (B4[0] * k1[i] + B4[1] * k2[i] + B4[2] * k3[i]);
    }
    f(&ytmp, &mut k4);
    for i in 0..N {
        ytmp[i] = y[i] + h * (B5[0] * k1[i] + B5[1] * k2[i] + B5[2] * k3[i] + B5[3] * k4[i]);
    }
    f(&ytmp, &mut k5);
    for i in 0..N {
        ytmp[i] = y[i] + h * (B6[0] * k1[i] + B6[1] * k2[i] + B6[2] * k3[i] + B6[3] * k4[i] + B6[4] * k5[i]);
    }
    f(&ytmp, &mut k6);
    for i in 0..N {
        let d = C1 * k1[i] + C3 * k3[i] + C4 * k4[i] + C5 * k5[i] + C6 * k6[i];
        y[i] += h * d;
    }
    for i in 0..N {
        yerr[i] = h * (EC1 * k1[i] + EC3 * k3[i] + EC4 * k4[i] + EC5 * k5[i] + EC6 * k6[i]);
    }
}

/// Outcome of the controller for one attempted step.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Adjust {
    Decrease(f64),
    Keep,
    Increase(f64),
}

/// The standard control on y: a new step size proposal for an attempt of length `h`.
#[inline(always)]
fn hadjust<const N: usize>(tol: Tolerance, y: &[f64; N], yerr: &[f64; N], h: f64) -> Adjust {
    const S: f64 = 0.9;
    let mut rmax = f64::MIN_POSITIVE;
    for i in 0..N {
        let d0 = tol.eps_rel * y[i].abs() + tol.eps_abs;
        let r = yerr[i].abs() / d0.abs();
        // NaN never wins the comparison (as GSL's GSL_MAX_DBL).
        if r > rmax {
            rmax = r;
        }
    }
    if rmax > 1.1 {
        let r = (S / rmax.powf(1.0 / ORDER)).max(0.2);
        Adjust::Decrease(r * h)
    } else if rmax < 0.5 {
        let r = (S / rmax.powf(1.0 / (ORDER + 1.0))).clamp(1.0, 5.0);
        Adjust::Increase(r * h)
    } else {
        Adjust::Keep
    }
}

/// One call of `evolve_apply`: advances `y` from `*t` towards `t1` by one accepted step (with
/// retries of smaller length), updates `*t` and the suggested step `*h`. Returns the number of
/// attempts made.
#[inline(always)]
fn evolve_apply<const N: usize, F: FnMut(&[f64; N], &mut [f64; N])>(
    f: &mut F,
    tol: Tolerance,
    t: &mut f64,
    t1: f64,
    h: &mut f64,
    y: &mut [f64; N],
) -> usize {
    let t0 = *t;
    let mut h0 = *h;
    let dt = t1 - t0;
    let y0 = *y;
    let mut dydt_in = [0.0; N];
    f(y, &mut dydt_in);
    let mut yerr = [0.0; N];
    let mut attempts = 0;
    loop {
        attempts += 1;
        let final_step = h0 > dt;
        if final_step {
            h0 = dt;
        }
        rkf45_step(f, h0, y, &dydt_in, &mut yerr);
        *t = if final_step { t1 } else { t0 + h0 };
        let h_old = h0;
        match hadjust(tol, y, &yerr, h0) {
            Adjust::Decrease(hn) => {
                if hn.abs() < h_old.abs() && *t + hn != *t && attempts < MAX_SUBSTEPS {
                    *y = y0;
                    h0 = hn;
                    continue;
                }
                h0 = h_old;
            }
            Adjust::Increase(hn) => h0 = hn,
            Adjust::Keep => {}
        }
        *h = h0;
        return attempts;
    }
}

/// Integrates `dy/dt = f(y)` over one simulation step of length `step` (ms) as NEST's update loop
/// does (`while t < step: evolve_apply(...)`), starting with and updating the suggested
/// integration step `*h_int`. `f` must not depend on t (NEST's models are autonomous within a
/// step: inputs are held constant). Returns the number of attempted RKF45 steps.
#[inline]
pub fn integrate_step<const N: usize, F: FnMut(&[f64; N], &mut [f64; N])>(
    mut f: F,
    tol: Tolerance,
    step: f64,
    h_int: &mut f64,
    y: &mut [f64; N],
) -> usize {
    let mut t = 0.0;
    let mut attempts = 0;
    if h_int.is_nan() || *h_int <= 0.0 {
        *h_int = step;
    }
    while t < step {
        attempts += evolve_apply(&mut f, tol, &mut t, step, h_int, y);
        if attempts >= MAX_SUBSTEPS {
            // Finish the step in one go rather than hang (see MAX_SUBSTEPS).
            let mut dydt = [0.0; N];
            f(y, &mut dydt);
            let mut yerr = [0.0; N];
            rkf45_step(&mut f, step - t, y, &dydt, &mut yerr);
            break;
        }
    }
    attempts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tableau_is_consistent() {
        // Oracle: each row of a Runge–Kutta tableau sums to its node; weights sum to 1; the
        // error weights (fifth minus fourth order) sum to 0.
        assert!((B3.iter().sum::<f64>() - AH[1]).abs() < 1e-15);
        assert!((B4.iter().sum::<f64>() - AH[2]).abs() < 1e-15);
        assert!((B5.iter().sum::<f64>() - AH[3]).abs() < 1e-15);
        assert!((B6.iter().sum::<f64>() - AH[4]).abs() < 1e-15);
        assert!((C1 + C3 + C4 + C5 + C6 - 1.0).abs() < 1e-15);
        assert!((EC1 + EC3 + EC4 + EC5 + EC6).abs() < 1e-15);
        // Fehlberg's fifth-order weights 16/135, 6656/12825, 28561/56430, −9/50, 2/55.
        assert!((C1 - 16.0 / 135.0).abs() < 1e-16);
        assert!((C3 - 6656.0 / 12825.0).abs() < 1e-16);
        assert!((C4 - 28561.0 / 56430.0).abs() < 1e-16);
        assert!((C5 + 9.0 / 50.0).abs() < 1e-16);
        assert!((C6 - 2.0 / 55.0).abs() < 1e-16);
    }

    #[test]
    fn exponential_decay_within_tolerance() {
        // Oracle: y' = −y/τ has y(t) = y0 e^{−t/τ}.
        let tau = 0.2;
        let mut y = [100.0];
        let mut h = 0.1;
        for k in 1..=100 {
            integrate_step(|y: &[f64; 1], f: &mut [f64; 1]| f[0] = -y[0] / tau, Tolerance::NEST, 0.1, &mut h, &mut y);
            let exact = 100.0 * (-(k as f64) * 0.1 / tau).exp();
            assert!((y[0] - exact).abs() < 1e-3, "k {k}: {} vs {exact}", y[0]);
        }
    }

    #[test]
    fn step_size_grows_on_smooth_problems_and_shrinks_on_stiff_ones() {
        let mut h = 0.1;
        let mut y = [1.0];
        integrate_step(|y: &[f64; 1], f: &mut [f64; 1]| f[0] = -y[0], Tolerance::NEST, 0.1, &mut h, &mut y);
        assert_eq!(h, 0.5, "a smooth problem suggests 5 h");
        let mut h = 0.1;
        let mut y = [1.0e4];
        let n =
            integrate_step(|y: &[f64; 1], f: &mut [f64; 1]| f[0] = -y[0] / 0.01, Tolerance::NEST, 0.1, &mut h, &mut y);
        assert!(n > 3, "a fast decay needs retries and sub-steps, got {n}");
        assert!((y[0] - 1.0e4 * (-10.0f64).exp()).abs() < 1e-2);
    }

    #[test]
    fn nan_does_not_hang() {
        let mut h = 0.1;
        let mut y = [f64::NAN];
        let n = integrate_step(|y: &[f64; 1], f: &mut [f64; 1]| f[0] = y[0], Tolerance::NEST, 0.1, &mut h, &mut y);
        assert_eq!(n, 1);
    }
}
