//! Numerics shared by NEST's linear integrate-and-fire models.
//!
//! * [`nest_resolution`] and [`ms_to_steps`]: NEST's conversion of durations in ms to whole
//!   simulation steps (`Time(Time::ms(t)).get_steps()`), which rounds a duration to tics (half up)
//!   and then *up* to the next step. Refractory periods are counted in these steps.
//! * [`IafPropagator`]: the exact-integration propagator elements that carry a synaptic current
//!   into the membrane potential over one step h, for exponential and alpha-shaped currents,
//!   including NEST's treatment of the removable singularity at `tau_m == tau_syn`.
//!
//! # The singular case
//!
//! With β = τ_syn τ_m / (τ_m − τ_syn) and γ = β / C_m, the regular propagators are
//!
//! ```text
//! P_VI  (exp. and alpha)   = γ · e^{−h/τ_syn} · expm1(h/β)
//! P_VdI (alpha only)       = γ · e^{−h/τ_syn} · (β · expm1(h/β) − h)
//! ```
//!
//! Both tend to finite limits as τ_syn → τ_m, but the formulas lose all precision there. NEST
//! (`IAFPropagator`, see its notebook *IAF_Integration_Singularity*) switches to the limits
//!
//! ```text
//! P_VI  = h / C_m · e^{−h/τ_m}                when P_VI is not a positive normal number
//! P_VdI = h² / (2 C_m) · e^{−h/τ_m}           when h ≤ 1e-7 · τ_m² / |τ_m − τ_syn|
//! ```
//!
//! These criteria are reproduced here exactly, so results agree with NEST bit for bit in both
//! regimes.

/// e^x − 1 exactly as NEST 3.10's `numerics::expm1` computes it in builds without a C library
/// `expm1` (`HAVE_EXPM1` unset), which is the case for the PyPI wheels of NEST 3.10 that serve as
/// nestor's reference: 0 for x = 0, e^x − 1 for |x| > ln 2, and otherwise the Taylor series
/// x + x²/2! + x³/3! + … summed until a term no longer exceeds the sum times the machine
/// epsilon. It differs from the correctly rounded `f64::exp_m1` by at most a few ulp; using it
/// makes propagators, and hence traces, agree with NEST bit for bit (checked against NEST 3.10:
/// e.g. P30 of `iaf_psc_alpha` at h = 0.1, τ_m = 10 ms differs from the libm-based value in
/// the last bit, which shows up in V_m after about 50 steps).
pub fn expm1(x: f64) -> f64 {
    if x == 0.0 {
        return 0.0;
    }
    if x.abs() > std::f64::consts::LN_2 {
        return x.exp() - 1.0;
    }
    let mut sum = x;
    let mut term = x * x / 2.0;
    let mut n = 2.0_f64;
    while term.abs() > sum.abs() * f64::EPSILON {
        sum += term;
        n += 1.0;
        term *= x / n;
    }
    sum
}

/// NEST's default number of tics per millisecond (`tics_per_ms`).
pub const TICS_PER_MS: f64 = 1000.0;

/// Tics per simulation step for resolution `h` (ms), as NEST's `dround(tics_per_ms * h)`.
pub fn tics_per_step(h: f64) -> i64 {
    (TICS_PER_MS * h + 0.5).floor() as i64
}

/// The resolution in ms exactly as NEST represents it (`Time::get_resolution().get_ms()`): the
/// whole number of tics per step times ms per tic. Equal to `h` for all usual resolutions, but
/// e.g. 0.7 becomes 0.7000000000000001 as in NEST.
pub fn nest_resolution(h: f64) -> f64 {
    (1.0 / TICS_PER_MS) * tics_per_step(h) as f64
}

/// The number of steps NEST uses for a duration of `ms` milliseconds at resolution `h`
/// (`Time(Time::ms(ms)).get_steps()`): `ms` is rounded half up to tics, and tics are rounded up
/// to whole steps. For `ms >= 0` the result is never negative.
pub fn ms_to_steps(ms: f64, h: f64) -> i64 {
    let tps = tics_per_step(h);
    // Conversion to tics truncates after adding one half (C++ static_cast of a double).
    let tics = (ms * TICS_PER_MS + 0.5) as i64;
    // Round tics up to whole steps; NEST multiplies by the inverse in floating point. (Saturating:
    // a duration beyond i64 tics must not overflow.)
    (tics.saturating_add(tps - 1) as f64 * (1.0 / tps as f64)) as i64
}

/// Threshold of NEST's singularity test: the regular P_VdI formula is used only when
/// `h > NUMERICAL_STABILITY_FACTOR * tau_m² / |tau_m - tau_syn|`.
const NUMERICAL_STABILITY_FACTOR: f64 = 1e-7;

/// Exact-integration propagator from synaptic current to membrane potential for one pair
/// (τ_syn, τ_m, C_m); see the module documentation for the formulas and the singular case.
#[derive(Debug, Clone, Copy)]
pub struct IafPropagator {
    /// Smallest h (ms) for which the regular P_VdI formula applies.
    h_min_regular: f64,
    /// β = τ_syn τ_m / (τ_m − τ_syn) in ms (infinite when τ_syn == τ_m).
    beta: f64,
    /// γ = β / C_m in ms/pF.
    gamma: f64,
    /// 1/τ_syn in 1/ms.
    inv_tau_syn: f64,
    /// 1/τ_m in 1/ms.
    inv_tau_m: f64,
    /// 1/C_m in 1/pF.
    inv_c_m: f64,
    /// 1/β in 1/ms, computed directly so that it is 0 when τ_syn == τ_m.
    inv_beta: f64,
}

impl IafPropagator {
    /// The propagator for synaptic time constant `tau_syn` (ms), membrane time constant `tau_m`
    /// (ms) and capacitance `c_m` (pF).
    pub fn new(tau_syn: f64, tau_m: f64, c_m: f64) -> Self {
        let beta = tau_syn * tau_m / (tau_m - tau_syn);
        IafPropagator {
            h_min_regular: NUMERICAL_STABILITY_FACTOR * tau_m * tau_m / (tau_m - tau_syn).abs(),
            beta,
            gamma: beta / c_m,
            inv_tau_syn: 1.0 / tau_syn,
            inv_tau_m: 1.0 / tau_m,
            inv_c_m: 1.0 / c_m,
            inv_beta: (tau_m - tau_syn) / (tau_syn * tau_m),
        }
    }

    /// P_VI and the intermediate values e^{−h/τ_syn}, expm1(h/β) and, in the singular case only,
    /// e^{−h/τ_m}.
    fn p_vi_parts(&self, h: f64) -> (f64, f64, f64, Option<f64>) {
        let exp_h_tau_syn = (-h * self.inv_tau_syn).exp();
        let expm1_h_beta = expm1(h * self.inv_beta);
        let p_vi = self.gamma * exp_h_tau_syn * expm1_h_beta;
        if p_vi.is_normal() && p_vi > 0.0 {
            (p_vi, exp_h_tau_syn, expm1_h_beta, None)
        } else {
            let exp_h_tau_m = (-h * self.inv_tau_m).exp();
            (h * self.inv_c_m * exp_h_tau_m, exp_h_tau_syn, expm1_h_beta, Some(exp_h_tau_m))
        }
    }

    /// P_VI (mV/pA) for an exponentially decaying current: the membrane potential change over
    /// a step h caused by a synaptic current of 1 pA at the start of the step.
    pub fn exp(&self, h: f64) -> f64 {
        self.p_vi_parts(h).0
    }

    /// (P_VdI, P_VI) for an alpha-shaped current, whose state is the pair (dI/dt, I): the
    /// membrane potential change over a step h per unit of dI and per unit of I.
    pub fn alpha(&self, h: f64) -> (f64, f64) {
        let (p_vi, exp_h_tau_syn, expm1_h_beta, exp_h_tau_m) = self.p_vi_parts(h);
        if h > self.h_min_regular {
            let p_vdi = self.gamma * exp_h_tau_syn * (self.beta * expm1_h_beta - h);
            return (p_vdi, p_vi);
        }
        let exp_h_tau_m = exp_h_tau_m.unwrap_or_else(|| (-h * self.inv_tau_m).exp());
        (0.5 * h * h * self.inv_c_m * exp_h_tau_m, p_vi)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expm1_is_close_to_libm_and_exact_where_nest_is() {
        assert_eq!(expm1(0.0), 0.0);
        assert_eq!(expm1(1.0), 1.0_f64.exp() - 1.0);
        // Oracle: the bits NEST 3.10 (PyPI) uses for expm1(-0.01), seen in its P30 of iaf_psc_alpha.
        assert_eq!(expm1(-0.01), -0.009950166250831945);
        for k in -700..=700 {
            let x = k as f64 * 1e-3 + 1e-7;
            let (a, b) = (expm1(x), x.exp_m1());
            assert!((a - b).abs() <= 4.0 * f64::EPSILON * b.abs(), "{x}: {a} {b}");
        }
    }

    #[test]
    fn steps_round_like_nest_time() {
        // Oracle: NEST's Time(Time::ms(t)).get_steps(): tics rounded half up, steps rounded up.
        assert_eq!(ms_to_steps(2.0, 0.1), 20);
        assert_eq!(ms_to_steps(0.0, 0.1), 0);
        assert_eq!(ms_to_steps(2.01, 0.1), 21);
        assert_eq!(ms_to_steps(2.0004, 0.1), 20); // below half a tic
        assert_eq!(ms_to_steps(2.0005, 0.1), 21); // half a tic rounds up, then up to a step
        assert_eq!(ms_to_steps(1.5, 1.0), 2);
        assert_eq!(ms_to_steps(0.3, 0.1), 3);
        assert_eq!(nest_resolution(0.1), 0.1);
        assert_eq!(nest_resolution(0.7), 0.7000000000000001);
    }

    #[test]
    fn regular_propagators_match_closed_forms() {
        // Oracle: closed forms of the exact solution for tau_syn != tau_m.
        let (ts, tm, c, h) = (2.0_f64, 10.0_f64, 250.0_f64, 0.1_f64);
        let p = IafPropagator::new(ts, tm, c);
        let pvi = ts * tm / (c * (tm - ts)) * ((-h / tm).exp() - (-h / ts).exp());
        assert!((p.exp(h) - pvi).abs() < 1e-15);
        let (p31, p32) = p.alpha(h);
        assert!((p32 - pvi).abs() < 1e-15);
        let beta = ts * tm / (tm - ts);
        let p31_ref = beta / c * (-h / ts).exp() * (beta * ((h / beta).exp() - 1.0) - h);
        assert!((p31 - p31_ref).abs() < 1e-15);
    }

    #[test]
    fn singular_case_is_the_limit() {
        // Oracle: limits h/C e^{-h/tau} and h²/(2C) e^{-h/tau} for tau_syn -> tau_m.
        let (tm, c, h) = (10.0_f64, 250.0_f64, 0.1_f64);
        let s = IafPropagator::new(tm, tm, c);
        assert_eq!(s.exp(h), h / c * (-h / tm).exp());
        let (p31, p32) = s.alpha(h);
        assert_eq!(p32, h / c * (-h / tm).exp());
        assert_eq!(p31, 0.5 * h * h / c * (-h / tm).exp());
        for eps in [1e-9, -1e-9, 1e-6, -1e-6] {
            let near = IafPropagator::new(tm * (1.0 + eps), tm, c);
            let (q31, q32) = near.alpha(h);
            // The propagators depend smoothly on tau_syn: relative change well below |eps|.
            let tol = eps.abs() + 1e-13;
            assert!((near.exp(h) - s.exp(h)).abs() < tol * s.exp(h), "{eps}");
            assert!((q31 - p31).abs() < tol * p31, "{eps}: {q31} {p31}");
            assert!((q32 - p32).abs() < tol * p32, "{eps}");
        }
    }
}
