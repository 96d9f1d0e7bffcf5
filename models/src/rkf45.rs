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
    /// Whether a non-finite state stops the integration with an error (the default). A model
    /// whose NEST original carries a NaN state on silently sets this to `false`: then the
    /// integration goes on as GSL's does (a NaN error component never wins the control's
    /// comparison), and the state stays NaN until the user sets it again.
    const STOPS_ON_NON_FINITE: bool = true;
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
    let (y, k1, yerr) = (std::array::from_mut(y), std::array::from_ref(k1), std::array::from_mut(yerr));
    rkf45_step_lanes(&mut |_, y, out| f(y, out), [h], y, k1, yerr);
}

/// [`rkf45_step`] for `L` independent systems at once, lane `l` calling `f(l, ·, ·)`: each lane
/// does exactly the operations of the one-system step (so the results are bitwise equal), but
/// the lanes' right-hand sides are independent work the CPU overlaps, and the stage sums are
/// loops over lanes the compiler vectorizes.
#[inline(always)]
fn rkf45_step_lanes<const N: usize, const L: usize, F: FnMut(usize, &[f64; N], &mut [f64; N])>(
    f: &mut F,
    h: [f64; L],
    y: &mut [[f64; N]; L],
    k1: &[[f64; N]; L],
    yerr: &mut [[f64; N]; L],
) {
    let mut ytmp = [[0.0; N]; L];
    let (mut k2, mut k3, mut k4, mut k5, mut k6) =
        ([[0.0; N]; L], [[0.0; N]; L], [[0.0; N]; L], [[0.0; N]; L], [[0.0; N]; L]);
    for l in 0..L {
        for i in 0..N {
            ytmp[l][i] = y[l][i] + AH[0] * h[l] * k1[l][i];
        }
    }
    for l in 0..L {
        f(l, &ytmp[l], &mut k2[l]);
    }
    for l in 0..L {
        for i in 0..N {
            ytmp[l][i] = y[l][i] + h[l] * (B3[0] * k1[l][i] + B3[1] * k2[l][i]);
        }
    }
    for l in 0..L {
        f(l, &ytmp[l], &mut k3[l]);
    }
    for l in 0..L {
        for i in 0..N {
            ytmp[l][i] = y[l][i] + h[l] * (B4[0] * k1[l][i] + B4[1] * k2[l][i] + B4[2] * k3[l][i]);
        }
    }
    for l in 0..L {
        f(l, &ytmp[l], &mut k4[l]);
    }
    for l in 0..L {
        for i in 0..N {
            ytmp[l][i] = y[l][i] + h[l] * (B5[0] * k1[l][i] + B5[1] * k2[l][i] + B5[2] * k3[l][i] + B5[3] * k4[l][i]);
        }
    }
    for l in 0..L {
        f(l, &ytmp[l], &mut k5[l]);
    }
    for l in 0..L {
        for i in 0..N {
            ytmp[l][i] = y[l][i]
                + h[l] * (B6[0] * k1[l][i] + B6[1] * k2[l][i] + B6[2] * k3[l][i] + B6[3] * k4[l][i] + B6[4] * k5[l][i]);
        }
    }
    for l in 0..L {
        f(l, &ytmp[l], &mut k6[l]);
    }
    for l in 0..L {
        for i in 0..N {
            let d = C1 * k1[l][i] + C3 * k3[l][i] + C4 * k4[l][i] + C5 * k5[l][i] + C6 * k6[l][i];
            y[l][i] += h[l] * d;
        }
        for i in 0..N {
            yerr[l][i] = h[l] * (EC1 * k1[l][i] + EC3 * k3[l][i] + EC4 * k4[l][i] + EC5 * k5[l][i] + EC6 * k6[l][i]);
        }
    }
}

/// Outcome of the controller for one attempted step.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Adjust {
    Decrease(f64),
    Keep,
    Increase(f64),
}

/// GSL's standard control: the largest ratio of an error estimate to its bound `D_i` (a step is
/// rejected above 1.1).
#[inline(always)]
fn error_ratio<const N: usize>(tol: Tolerance, y: &[f64; N], yerr: &[f64; N], yp: &[f64; N], h: f64) -> f64 {
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
    rmax
}

/// The standard control on y: a new step size proposal for an attempt of length `h`.
#[inline(always)]
fn hadjust<const N: usize>(tol: Tolerance, y: &[f64; N], yerr: &[f64; N], yp: &[f64; N], h: f64) -> Adjust {
    let rmax = error_ratio(tol, y, yerr, yp, h);
    if rmax > 1.1 {
        Adjust::Decrease(decreased(rmax, h))
    } else if rmax < 0.5 {
        Adjust::Increase(increased(rmax, h))
    } else {
        Adjust::Keep
    }
}

/// The control's shorter step after an error ratio `rmax` > 1.1.
#[inline(always)]
fn decreased(rmax: f64, h: f64) -> f64 {
    (0.9 / rmax.powf(1.0 / ORDER)).max(0.2) * h
}

/// The control's longer step after an error ratio `rmax` < 0.5.
#[inline(always)]
fn increased(rmax: f64, h: f64) -> f64 {
    (0.9 / rmax.powf(1.0 / (ORDER + 1.0))).clamp(1.0, 5.0) * h
}

fn non_finite(y: &[f64]) -> String {
    format!("the state became non-finite during integration: {y:?}")
}

fn too_many_attempts(h_int: f64) -> String {
    format!(
        "the adaptive integrator needed more than {MAX_SUBSTEPS} attempts for one step (integration step {h_int:e} ms)"
    )
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
        if S::STOPS_ON_NON_FINITE && !y.iter().all(|x| x.is_finite()) {
            return Err(non_finite(y));
        }
        if attempts >= MAX_SUBSTEPS {
            return Err(too_many_attempts(*h_int));
        }
        sys.after_apply(t, y)?;
    }
    Ok(attempts)
}

/// How many neurons [`evolve_step_lanes`] integrates together.
pub const LANES: usize = 4;

/// [`evolve_step`] for up to [`LANES`] independent systems (one per neuron), with the same
/// results, bit for bit, as one [`evolve_step`] per system in order; `res[l]` is lane `l`'s
/// result (unused lanes are left as they were).
///
/// Why: one neuron's RKF45 attempt is a chain of dependent divisions (and exponentials), so a
/// lone neuron leaves most of the CPU idle. Here the lanes run [`evolve_step`]'s algorithm in
/// lockstep, each with its own time, step size, retries and sub-steps, so that every attempt
/// computes the lanes' right-hand sides side by side; a lane that has covered the step waits
/// for the others. Each lane performs exactly the one-system operations in the same order. One
/// shortcut is not bitwise visible: after an accepted attempt of the whole step, any suggestion
/// ≥ `step` acts like `step` in the next call (its first attempt is cut to the step either
/// way), so `step` is stored without computing the proposal's power.
#[inline(always)]
pub fn evolve_step_lanes<const N: usize, S: Ode<N>>(
    sys: &mut [S],
    tol: &[Tolerance],
    step: f64,
    h_int: &mut [f64],
    y: &mut [[f64; N]],
    res: &mut [Result<usize, String>; LANES],
) {
    let m = sys.len();
    debug_assert!(m <= LANES && tol.len() == m && h_int.len() == m && y.len() == m);
    let (Ok(sys), Ok(h_int), Ok(y)) = (
        <&mut [S; LANES]>::try_from(&mut *sys),
        <&mut [f64; LANES]>::try_from(&mut *h_int),
        <&mut [[f64; N]; LANES]>::try_from(&mut *y),
    ) else {
        for l in 0..m {
            res[l] = evolve_step(&mut sys[l], tol[l], step, &mut h_int[l], &mut y[l]);
        }
        return;
    };
    // Per lane: evolve_step's time and attempt count, the current evolve_apply call's start,
    // state and derivative there, its attempts and the current attempt's length.
    let mut active = [true; LANES];
    let mut new_apply = [true; LANES];
    let (mut t, mut t0, mut h0) = ([0.0; LANES], [0.0; LANES], [0.0; LANES]);
    let (mut total, mut tries) = ([0usize; LANES], [0usize; LANES]);
    let (mut y0, mut k1, mut yerr) = ([[0.0; N]; LANES], [[0.0; N]; LANES], [[0.0; N]; LANES]);
    // A finished lane's state is kept here: the joint stage sums still touch its slot.
    let mut done = [[0.0; N]; LANES];
    for h in h_int.iter_mut() {
        if h.is_nan() || *h <= 0.0 {
            *h = step;
        }
    }
    let mut left = LANES;
    while left > 0 {
        let mut hs = [0.0; LANES];
        let mut fin = [false; LANES];
        for l in 0..LANES {
            if !active[l] {
                continue;
            }
            if new_apply[l] {
                (t0[l], y0[l], tries[l], h0[l], new_apply[l]) = (t[l], y[l], 0, h_int[l], false);
                sys[l].rhs(&y[l], &mut k1[l]);
            }
            tries[l] += 1;
            let dt = step - t0[l];
            fin[l] = h0[l] > dt;
            if fin[l] {
                h0[l] = dt;
            }
            hs[l] = h0[l];
        }
        rkf45_step_lanes(
            &mut |l, y, f| {
                if active[l] {
                    sys[l].rhs(y, f)
                }
            },
            hs,
            y,
            &k1,
            &mut yerr,
        );
        for l in 0..LANES {
            if !active[l] {
                continue;
            }
            let mut dydt_out = [0.0; N];
            if tol[l].a_dydt != 0.0 {
                sys[l].rhs(&y[l], &mut dydt_out);
            }
            let tl = if fin[l] { step } else { t0[l] + h0[l] };
            let h_old = h0[l];
            let rmax = error_ratio(tol[l], &y[l], &yerr[l], &dydt_out, h_old);
            let h_new = if rmax > 1.1 {
                let hn = decreased(rmax, h_old);
                if hn.abs() < h_old.abs() && tl + hn != tl && tries[l] < MAX_SUBSTEPS {
                    y[l] = y0[l];
                    h0[l] = hn;
                    continue;
                }
                h_old
            } else if rmax < 0.5 {
                if h_old >= step {
                    step
                } else {
                    increased(rmax, h_old)
                }
            } else {
                h_old
            };
            t[l] = tl;
            h_int[l] = h_new;
            total[l] += tries[l];
            let r = if S::STOPS_ON_NON_FINITE && !y[l].iter().all(|x| x.is_finite()) {
                Some(Err(non_finite(&y[l][..])))
            } else if total[l] >= MAX_SUBSTEPS {
                Some(Err(too_many_attempts(h_int[l])))
            } else if let Err(e) = sys[l].after_apply(tl, &mut y[l]) {
                Some(Err(e))
            } else if t[l] < step {
                new_apply[l] = true;
                None
            } else {
                Some(Ok(total[l]))
            };
            if let Some(r) = r {
                res[l] = r;
                done[l] = y[l];
                active[l] = false;
                left -= 1;
            }
        }
    }
    *y = done;
}

/// The neurons `base..base + m` (m ≤ [`LANES`]) of a chunk after [`evolve_block`]: each one's
/// system, its state and the integrator's verdict, for the model's handling after the step.
pub struct Block<S, const N: usize> {
    base: usize,
    m: usize,
    sys: [S; LANES],
    y: [[f64; N]; LANES],
    res: [Result<usize, String>; LANES],
}

/// Integrates neurons `base..min(base + LANES, n)` over one step with
/// [`evolve_step_lanes`]: `make(i)` gives neuron `i`'s system, tolerance and state (the model
/// writes the state back after its handling of the step, e.g. with [`crate::neuron::scatter`]).
#[inline(always)]
pub fn evolve_block<const N: usize, S: Ode<N>>(
    base: usize,
    n: usize,
    step: f64,
    h_int: &mut [f64],
    make: impl Fn(usize) -> (S, Tolerance, [f64; N]),
) -> Block<S, N> {
    let m = LANES.min(n - base);
    // Lanes past the last neuron repeat it; only the first m are integrated.
    let at = |l: usize| base + l.min(m - 1);
    let mut tol = [Tolerance::NEST; LANES];
    let mut y = [[0.0; N]; LANES];
    let mut sys: [S; LANES] = std::array::from_fn(|l| {
        let (s, t, y0) = make(at(l));
        (tol[l], y[l]) = (t, y0);
        s
    });
    let mut res = std::array::from_fn(|_| Ok(0));
    evolve_step_lanes(&mut sys[..m], &tol[..m], step, &mut h_int[base..base + m], &mut y[..m], &mut res);
    Block { base, m, sys, y, res }
}

impl<S, const N: usize> Block<S, N> {
    /// The block's neurons in order: `(i, system, state)`, or `Err((i, why))` for the first
    /// neuron whose integration failed (the caller stops there, as the one-neuron loop would).
    pub fn neurons(&mut self) -> impl Iterator<Item = Result<(usize, &mut S, &mut [f64; N]), (usize, String)>> + '_ {
        let base = self.base;
        self.sys[..self.m].iter_mut().zip(&mut self.y[..self.m]).zip(&mut self.res[..self.m]).enumerate().map(
            move |(l, ((s, y), r))| match std::mem::replace(r, Ok(0)) {
                Ok(_) => Ok((base + l, s, y)),
                Err(msg) => Err((base + l, msg)),
            },
        )
    }
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
            return Err(non_finite(y));
        }
        if attempts >= MAX_SUBSTEPS {
            return Err(too_many_attempts(*h_int));
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

    /// Every model updated in lanes of [`LANES`] neurons: strong, staggered drives per neuron
    /// (so lanes take the joint full step, fall back to the one-neuron integrator after a
    /// rejected attempt, and mix within a block) give the bits of each neuron updated alone.
    fn lanes_agree<M: crate::neuron::Neuron>(i_e: f64, w_ex: f64, w_in: f64, i_step: f64, sign_split: bool) {
        use crate::neuron::{col, testing::lanes_agree_with_single_neurons};
        let ie = col(M::SCHEMA, "I_e");
        let t_ref = nestor_kernel::schema::index_of(M::SCHEMA, "t_ref");
        lanes_agree_with_single_neurons::<M>(
            11,
            0.1,
            3000,
            |t, i| {
                t.set(ie, i, i_e * (i % 5) as f64);
                if let Some(k) = t_ref {
                    t.set(k, i, 0.5 * (i % 3) as f64);
                }
            },
            |t, ch, i| {
                let k = (i % 4) as f64;
                match (ch, sign_split) {
                    (0, _) if (t + i as i64) % 37 == 0 => w_ex * (1.0 + k),
                    (1, true) if (t * 3 + i as i64) % 91 == 0 => w_in * (1.0 + (i % 2) as f64),
                    (1, false) if (t * 3 + i as i64) % 91 == 0 => w_in,
                    (1, false) | (2, true) if t > 1000 && i % 3 == 0 => i_step,
                    _ => 0.0,
                }
            },
        );
    }

    #[test]
    fn lanes_agree_with_single_neurons_for_every_batched_model() {
        use crate::*;
        lanes_agree::<iaf_cond_exp::IafCondExp>(150.0, 45.0, -120.0, 300.0, true);
        lanes_agree::<iaf_cond_alpha::IafCondAlpha>(150.0, 45.0, -120.0, 300.0, true);
        lanes_agree::<iaf_cond_beta::IafCondBeta>(150.0, 45.0, -120.0, 300.0, true);
        lanes_agree::<iaf_cond_exp_sfa_rr::IafCondExpSfaRr>(150.0, 45.0, -120.0, 300.0, true);
        lanes_agree::<aeif_cond_alpha::AeifCondAlpha>(900.0, 40.0, -100.0, 500.0, true);
        lanes_agree::<aeif_cond_exp::AeifCondExp>(900.0, 40.0, -100.0, 500.0, true);
        lanes_agree::<aeif_psc_alpha::AeifPscAlpha>(900.0, 400.0, -800.0, 500.0, true);
        lanes_agree::<aeif_psc_exp::AeifPscExp>(900.0, 400.0, -800.0, 500.0, true);
        lanes_agree::<aeif_psc_delta::AeifPscDelta>(900.0, 8.0, -6.0, 500.0, false);
        lanes_agree::<hh_cond_exp_traub::HhCondExpTraub>(300.0, 40.0, -100.0, 500.0, true);
        lanes_agree::<hh_psc_alpha::HhPscAlpha>(300.0, 400.0, -800.0, 500.0, true);
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
