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

/// Most integration attempts per simulation step before [`evolve_step`] reports a failure (an
/// integration step driven towards zero; NEST would loop for a very long time or stop with a
/// GSL error there).
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

/// The error tolerances of GSL's standard control: with `D_i = eps_abs + eps_rel·(a_y·|y_i| +
/// a_dydt·h·|y'_i|)` a step is accepted when every error estimate is at most about `D_i`.
/// `gsl_odeiv_control_y_new` is `a_y = 1, a_dydt = 0`; `gsl_odeiv_control_yp_new` is `a_y = 0,
/// a_dydt = 1`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tolerance {
    /// Absolute error bound.
    pub eps_abs: f64,
    /// Relative error bound.
    pub eps_rel: f64,
    /// Weight of |y| in the relative bound.
    pub a_y: f64,
    /// Weight of h·|dy/dt| in the relative bound.
    pub a_dydt: f64,
}

impl Tolerance {
    /// NEST's tolerance for its conductance and Hodgkin–Huxley models (`control_y_new(1e-3, 0)`).
    pub const NEST: Tolerance = Tolerance::y(NEST_EPS_ABS, NEST_EPS_REL);
    /// GSL's control on y (`gsl_odeiv_control_y_new`).
    pub const fn y(eps_abs: f64, eps_rel: f64) -> Tolerance {
        Tolerance { eps_abs, eps_rel, a_y: 1.0, a_dydt: 0.0 }
    }
    /// GSL's control on the derivative (`gsl_odeiv_control_yp_new`).
    pub const fn yp(eps_abs: f64, eps_rel: f64) -> Tolerance {
        Tolerance { eps_abs, eps_rel, a_y: 0.0, a_dydt: 1.0 }
    }
}

/// An ODE system a model integrates over one simulation step, with the model's own handling of
/// spikes and refractoriness between the integrator's sub-steps (NEST's `while (t < step)`
/// loop around `gsl_odeiv_evolve_apply`).
pub trait Ode<const N: usize> {
    /// The right-hand side dy/dt = f(y) (inputs are held constant within a step).
    fn rhs(&self, y: &[f64; N], f: &mut [f64; N]);
    /// Called after every accepted sub-step, `t` being the time reached within the step (ms):
    /// threshold crossing, reset, refractory clamp, the model's instability checks. An `Err`
    /// stops the integration with that message.
    fn after_apply(&mut self, _t: f64, _y: &mut [f64; N]) -> Result<(), String> {
        Ok(())
    }
}

/// A plain right-hand side as an [`Ode`] (no handling between sub-steps).
pub struct Rhs<F>(pub F);

impl<const N: usize, F: Fn(&[f64; N], &mut [f64; N])> Ode<N> for Rhs<F> {
    #[inline(always)]
    fn rhs(&self, y: &[f64; N], f: &mut [f64; N]) {
        (self.0)(y, f)
    }
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
fn hadjust<const N: usize>(tol: Tolerance, y: &[f64; N], yerr: &[f64; N], yp: &[f64; N], h: f64) -> Adjust {
    const S: f64 = 0.9;
    let mut rmax = f64::MIN_POSITIVE;
    for i in 0..N {
        let d0 = if tol.a_dydt == 0.0 && tol.a_y == 1.0 {
            tol.eps_rel * y[i].abs() + tol.eps_abs
        } else {
            tol.eps_rel * (tol.a_y * y[i].abs() + tol.a_dydt * (h * yp[i]).abs()) + tol.eps_abs
        };
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
fn evolve_apply<const N: usize, S: Ode<N>>(
    sys: &S,
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
    sys.rhs(y, &mut dydt_in);
    let mut yerr = [0.0; N];
    // dy/dt at the end of an attempt, needed only by the control on the derivative (GSL's
    // stepper computes it always; it does not change y).
    let mut dydt_out = [0.0; N];
    let mut attempts = 0;
    let mut f = |y: &[f64; N], f: &mut [f64; N]| sys.rhs(y, f);
    loop {
        attempts += 1;
        let final_step = h0 > dt;
        if final_step {
            h0 = dt;
        }
        rkf45_step(&mut f, h0, y, &dydt_in, &mut yerr);
        if tol.a_dydt != 0.0 {
            f(y, &mut dydt_out);
        }
        *t = if final_step { t1 } else { t0 + h0 };
        let h_old = h0;
        match hadjust(tol, y, &yerr, &dydt_out, h0) {
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

/// Integrates the system over one simulation step of length `step` (ms) as NEST's update loop
/// does (`while t < step: evolve_apply(...)`, then the model's handling after each sub-step),
/// starting with and updating the suggested integration step `*h_int`. Returns the number of
/// attempted RKF45 steps, or why the integration failed: the state became non-finite, the
/// model's own check refused it, or the controller needed more than [`MAX_SUBSTEPS`] attempts
/// (NEST would hang or abort with a GSL error there).
#[inline]
pub fn evolve_step<const N: usize, S: Ode<N>>(
    sys: &mut S,
    tol: Tolerance,
    step: f64,
    h_int: &mut f64,
    y: &mut [f64; N],
) -> Result<usize, String> {
    let mut t = 0.0;
    let mut attempts = 0;
    if h_int.is_nan() || *h_int <= 0.0 {
        *h_int = step;
    }
    while t < step {
        attempts += evolve_apply(sys, tol, &mut t, step, h_int, y);
        if !y.iter().all(|x| x.is_finite()) {
            return Err(format!("the state became non-finite during integration: {y:?}"));
        }
        if attempts >= MAX_SUBSTEPS {
            return Err(format!(
                "the adaptive integrator needed more than {MAX_SUBSTEPS} attempts for one step (integration step {:e} ms)",
                *h_int
            ));
        }
        sys.after_apply(t, y)?;
    }
    Ok(attempts)
}

/// [`evolve_step`] for a plain right-hand side `f`.
#[inline]
pub fn integrate_step<const N: usize, F: Fn(&[f64; N], &mut [f64; N])>(
    f: F,
    tol: Tolerance,
    step: f64,
    h_int: &mut f64,
    y: &mut [f64; N],
) -> Result<usize, String> {
    evolve_step(&mut Rhs(f), tol, step, h_int, y)
}

// ---------------------------------------------------------------- systems of run-time size

/// An ODE system whose size is known only at run time (a model with one state block per
/// incoming connection, e.g. NEST's `iaf_bw_2001_exact`); the right-hand side of
/// [`evolve_step_dyn`].
pub trait OdeDyn {
    /// The right-hand side dy/dt = f(y); `y` and `f` have the system's size.
    fn rhs(&self, y: &[f64], f: &mut [f64]);
}

/// Work space of [`evolve_step_dyn`], kept by the model so that stepping does not allocate
/// (resized only when a larger system comes along).
#[derive(Debug, Clone, Default)]
pub struct Scratch {
    y0: Vec<f64>,
    ytmp: Vec<f64>,
    k: [Vec<f64>; 6],
    yerr: Vec<f64>,
    dydt_out: Vec<f64>,
}

impl Scratch {
    fn fit(&mut self, n: usize) {
        for v in [&mut self.y0, &mut self.ytmp, &mut self.yerr, &mut self.dydt_out].into_iter().chain(self.k.iter_mut())
        {
            if v.len() != n {
                v.resize(n, 0.0);
            }
        }
    }
}

/// [`rkf45_step`] for a system of run-time size: the same tableau and order of operations.
#[inline]
fn rkf45_step_dyn<S: OdeDyn>(sys: &S, h: f64, y: &mut [f64], w: &mut Scratch) {
    let n = y.len();
    let Scratch { ytmp, k, yerr, .. } = w;
    let [k1, k2, k3, k4, k5, k6] = k;
    for i in 0..n {
        ytmp[i] = y[i] + AH[0] * h * k1[i];
    }
    sys.rhs(ytmp, k2);
    for i in 0..n {
        ytmp[i] = y[i] + h * (B3[0] * k1[i] + B3[1] * k2[i]);
    }
    sys.rhs(ytmp, k3);
    for i in 0..n {
        ytmp[i] = y[i] + h * (B4[0] * k1[i] + B4[1] * k2[i] + B4[2] * k3[i]);
    }
    sys.rhs(ytmp, k4);
    for i in 0..n {
        ytmp[i] = y[i] + h * (B5[0] * k1[i] + B5[1] * k2[i] + B5[2] * k3[i] + B5[3] * k4[i]);
    }
    sys.rhs(ytmp, k5);
    for i in 0..n {
        ytmp[i] = y[i] + h * (B6[0] * k1[i] + B6[1] * k2[i] + B6[2] * k3[i] + B6[3] * k4[i] + B6[4] * k5[i]);
    }
    sys.rhs(ytmp, k6);
    for i in 0..n {
        let d = C1 * k1[i] + C3 * k3[i] + C4 * k4[i] + C5 * k5[i] + C6 * k6[i];
        y[i] += h * d;
    }
    for i in 0..n {
        yerr[i] = h * (EC1 * k1[i] + EC3 * k3[i] + EC4 * k4[i] + EC5 * k5[i] + EC6 * k6[i]);
    }
}

/// [`hadjust`] for slices.
#[inline]
fn hadjust_dyn(tol: Tolerance, y: &[f64], yerr: &[f64], yp: &[f64], h: f64) -> Adjust {
    const S: f64 = 0.9;
    let mut rmax = f64::MIN_POSITIVE;
    for i in 0..y.len() {
        let d0 = if tol.a_dydt == 0.0 && tol.a_y == 1.0 {
            tol.eps_rel * y[i].abs() + tol.eps_abs
        } else {
            tol.eps_rel * (tol.a_y * y[i].abs() + tol.a_dydt * (h * yp[i]).abs()) + tol.eps_abs
        };
        let r = yerr[i].abs() / d0.abs();
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

/// [`evolve_apply`] for a system of run-time size.
fn evolve_apply_dyn<S: OdeDyn>(
    sys: &S,
    tol: Tolerance,
    t: &mut f64,
    t1: f64,
    h: &mut f64,
    y: &mut [f64],
    w: &mut Scratch,
) -> usize {
    let t0 = *t;
    let mut h0 = *h;
    let dt = t1 - t0;
    w.y0.copy_from_slice(y);
    sys.rhs(y, &mut w.k[0]);
    let mut attempts = 0;
    loop {
        attempts += 1;
        let final_step = h0 > dt;
        if final_step {
            h0 = dt;
        }
        rkf45_step_dyn(sys, h0, y, w);
        if tol.a_dydt != 0.0 {
            sys.rhs(y, &mut w.dydt_out);
        }
        *t = if final_step { t1 } else { t0 + h0 };
        let h_old = h0;
        match hadjust_dyn(tol, y, &w.yerr, &w.dydt_out, h0) {
            Adjust::Decrease(hn) => {
                if hn.abs() < h_old.abs() && *t + hn != *t && attempts < MAX_SUBSTEPS {
                    y.copy_from_slice(&w.y0);
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

/// [`evolve_step`] for a system of run-time size (no handling between sub-steps): integrates
/// `y` over one simulation step of length `step` (ms) with the suggested integration step
/// `*h_int`, using `w` as work space. Same algorithm, arithmetic and failures as `evolve_step`.
pub fn evolve_step_dyn<S: OdeDyn>(
    sys: &S,
    tol: Tolerance,
    step: f64,
    h_int: &mut f64,
    y: &mut [f64],
    w: &mut Scratch,
) -> Result<usize, String> {
    w.fit(y.len());
    let mut t = 0.0;
    let mut attempts = 0;
    if h_int.is_nan() || *h_int <= 0.0 {
        *h_int = step;
    }
    while t < step {
        attempts += evolve_apply_dyn(sys, tol, &mut t, step, h_int, y, w);
        if !y.iter().all(|x| x.is_finite()) {
            return Err(format!("the state became non-finite during integration: {y:?}"));
        }
        if attempts >= MAX_SUBSTEPS {
            return Err(format!(
                "the adaptive integrator needed more than {MAX_SUBSTEPS} attempts for one step (integration step {:e} ms)",
                *h_int
            ));
        }
    }
    Ok(attempts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_time_size_integrator_agrees_bitwise_with_the_fixed_size_one() {
        // Oracle: the fixed-size evolve_step (validated against NEST) on the same stiff-ish
        // system; both must take the same steps and give the same bits.
        struct Dyn;
        impl OdeDyn for Dyn {
            fn rhs(&self, y: &[f64], f: &mut [f64]) {
                f[0] = -y[0] / 0.3 + y[1] * y[2];
                f[1] = -y[1] / 5.0 + 0.5 * y[2] * (1.0 - y[1]);
                f[2] = -y[2] / 2.0;
            }
        }
        let fixed = |y: &[f64; 3], f: &mut [f64; 3]| Dyn.rhs(y, f);
        let (mut ya, mut yb) = ([3.0, 0.0, 1.0], vec![3.0, 0.0, 1.0]);
        let (mut ha, mut hb) = (0.1, 0.1);
        let mut w = Scratch::default();
        for _ in 0..200 {
            let na = integrate_step(fixed, Tolerance::y(1e-6, 0.0), 0.1, &mut ha, &mut ya).unwrap();
            let nb = evolve_step_dyn(&Dyn, Tolerance::y(1e-6, 0.0), 0.1, &mut hb, &mut yb, &mut w).unwrap();
            assert_eq!(na, nb);
            assert_eq!(ha.to_bits(), hb.to_bits());
            assert_eq!(ya.to_vec(), yb);
        }
    }

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
            integrate_step(|y: &[f64; 1], f: &mut [f64; 1]| f[0] = -y[0] / tau, Tolerance::NEST, 0.1, &mut h, &mut y)
                .unwrap();
            let exact = 100.0 * (-(k as f64) * 0.1 / tau).exp();
            assert!((y[0] - exact).abs() < 1e-3, "k {k}: {} vs {exact}", y[0]);
        }
    }

    #[test]
    fn step_size_grows_on_smooth_problems_and_shrinks_on_stiff_ones() {
        let mut h = 0.1;
        let mut y = [1.0];
        integrate_step(|y: &[f64; 1], f: &mut [f64; 1]| f[0] = -y[0], Tolerance::NEST, 0.1, &mut h, &mut y).unwrap();
        assert_eq!(h, 0.5, "a smooth problem suggests 5 h");
        let mut h = 0.1;
        let mut y = [1.0e4];
        let n =
            integrate_step(|y: &[f64; 1], f: &mut [f64; 1]| f[0] = -y[0] / 0.01, Tolerance::NEST, 0.1, &mut h, &mut y)
                .unwrap();
        assert!(n > 3, "a fast decay needs retries and sub-steps, got {n}");
        assert!((y[0] - 1.0e4 * (-10.0f64).exp()).abs() < 1e-2);
    }

    #[test]
    fn nan_is_an_error_not_a_hang() {
        let mut h = 0.1;
        let mut y = [f64::NAN];
        let e = integrate_step(|y: &[f64; 1], f: &mut [f64; 1]| f[0] = y[0], Tolerance::NEST, 0.1, &mut h, &mut y);
        assert!(e.unwrap_err().contains("non-finite"));
    }

    #[test]
    fn derivative_control_accepts_smaller_steps_than_y_control() {
        // Oracle: GSL's control_yp with eps_abs = eps_rel = 1e-6 on y' = -y is stricter than the
        // control on y with eps_abs 1e-3: more attempts for the same step.
        let f = |y: &[f64; 1], f: &mut [f64; 1]| f[0] = -y[0] / 0.5;
        let (mut h1, mut y1) = (0.1, [10.0]);
        let n_y = integrate_step(f, Tolerance::NEST, 1.0, &mut h1, &mut y1).unwrap();
        let (mut h2, mut y2) = (0.1, [10.0]);
        let n_yp = integrate_step(f, Tolerance::yp(1e-6, 1e-6), 1.0, &mut h2, &mut y2).unwrap();
        assert!(n_yp > n_y, "{n_yp} vs {n_y}");
        let exact = 10.0 * (-2.0f64).exp();
        assert!((y2[0] - exact).abs() < (y1[0] - exact).abs());
    }
}
