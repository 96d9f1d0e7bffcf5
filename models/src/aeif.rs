//! What NEST's adaptive exponential integrate-and-fire models (`aeif_*`, Brette & Gerstner 2005)
//! share: the AdEx parameters and their checks, the membrane's exponential spike current, and
//! the spike handling NEST does between the integrator's sub-steps.
//!
//! Every `aeif_*` model integrates V_m, the adaptation current w and its synaptic state with
//! GSL's RKF45 under the control on the derivative (`gsl_odeiv_control_yp_new(tol, tol)`,
//! `tol = gsl_error_tol`), and after every accepted sub-step: refuses a state with
//! V_m < −1000 mV or |w| > 10⁶ pA (NEST's `NumericalInstability`); clamps V_m to V_reset while
//! refractory; otherwise, when V_m ≥ V_peak (V_th if Delta_T = 0), resets V_m, adds b to w,
//! starts the refractory period (t_ref + 1 steps, counted down after the step) and emits a
//! spike. Within the right-hand side the membrane potential is `V_reset` while refractory and
//! `min(V_m, V_peak)` otherwise, and `I_spike = g_L Δ_T exp((V − V_th)/Δ_T)` (0 for Δ_T = 0).
//! SetStatus refuses V_peak, V_th and Δ_T for which the exponential would overflow at V_peak.

use crate::neuron::col;
use crate::numerics::ms_to_steps;
use crate::rkf45::Tolerance;
use nestor_kernel::error::{Error, Result};
use nestor_kernel::model::Emitter;
use nestor_kernel::schema::{ParamSpec, ParamTable};

/// The columns of the AdEx parameters in a model's schema.
#[derive(Debug, Clone, Copy)]
pub struct AdexCols {
    c_m: usize,
    v_th: usize,
    t_ref: usize,
    g_l: usize,
    e_l: usize,
    v_reset: usize,
    a: usize,
    b: usize,
    delta_t: usize,
    tau_w: usize,
    i_e: usize,
    v_peak: usize,
    tol: usize,
}

impl AdexCols {
    /// Finds the AdEx parameters (NEST's names) in `specs`.
    pub const fn of(specs: &[ParamSpec]) -> AdexCols {
        AdexCols {
            c_m: col(specs, "C_m"),
            v_th: col(specs, "V_th"),
            t_ref: col(specs, "t_ref"),
            g_l: col(specs, "g_L"),
            e_l: col(specs, "E_L"),
            v_reset: col(specs, "V_reset"),
            a: col(specs, "a"),
            b: col(specs, "b"),
            delta_t: col(specs, "Delta_T"),
            tau_w: col(specs, "tau_w"),
            i_e: col(specs, "I_e"),
            v_peak: col(specs, "V_peak"),
            tol: col(specs, "gsl_error_tol"),
        }
    }
}

/// The AdEx parameters of one neuron as the update uses them.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Adex {
    /// Membrane capacitance, pF.
    pub c_m: f64,
    /// Spike initiation threshold, mV.
    pub v_th: f64,
    /// Leak conductance, nS.
    pub g_l: f64,
    /// Leak reversal potential, mV.
    pub e_l: f64,
    /// Reset potential, mV.
    pub v_reset: f64,
    /// Subthreshold adaptation, nS.
    pub a: f64,
    /// Spike-triggered adaptation, pA.
    pub b: f64,
    /// Slope factor, mV.
    pub delta_t: f64,
    /// Adaptation time constant, ms.
    pub tau_w: f64,
    /// Constant input current, pA.
    pub i_e: f64,
    /// Upper bound of V in the right-hand side, mV.
    pub v_peak: f64,
    /// Spike detection threshold: V_peak, or V_th when Delta_T = 0.
    pub v_peak_eff: f64,
    /// `gsl_error_tol`.
    pub tol: f64,
    /// t_ref in steps.
    pub ref_counts: i64,
}

impl Adex {
    /// Neuron `i`'s parameters from the table at resolution `h`.
    pub fn of(t: &ParamTable, k: &AdexCols, i: usize, h: f64) -> Adex {
        let delta_t = t.get(k.delta_t, i);
        let v_peak = t.get(k.v_peak, i);
        Adex {
            c_m: t.get(k.c_m, i),
            v_th: t.get(k.v_th, i),
            g_l: t.get(k.g_l, i),
            e_l: t.get(k.e_l, i),
            v_reset: t.get(k.v_reset, i),
            a: t.get(k.a, i),
            b: t.get(k.b, i),
            delta_t,
            tau_w: t.get(k.tau_w, i),
            i_e: t.get(k.i_e, i),
            v_peak,
            v_peak_eff: if delta_t > 0.0 { v_peak } else { t.get(k.v_th, i) },
            tol: t.get(k.tol, i),
            ref_counts: ms_to_steps(t.get(k.t_ref, i), h),
        }
    }

    /// NEST's error control of the AdEx models.
    pub fn tolerance(&self) -> Tolerance {
        Tolerance::yp(self.tol, self.tol)
    }

    /// The membrane potential the right-hand side uses.
    #[inline(always)]
    pub fn v(&self, refractory: bool, v_m: f64) -> f64 {
        if refractory {
            self.v_reset
        } else {
            v_m.min(self.v_peak)
        }
    }

    /// The exponential spike current at V, pA.
    #[inline(always)]
    pub fn i_spike(&self, v: f64) -> f64 {
        if self.delta_t == 0.0 {
            0.0
        } else {
            self.g_l * self.delta_t * ((v - self.v_th) / self.delta_t).exp()
        }
    }

    /// dw/dt at V.
    #[inline(always)]
    pub fn dw(&self, v: f64, w: f64) -> f64 {
        (self.a * (v - self.e_l) - w) / self.tau_w
    }

    /// NEST's handling after each accepted sub-step: the instability check, the refractory
    /// clamp, threshold, reset and adaptation jump. `y[0]` is V_m, `y[w]` the adaptation
    /// current; `r` the remaining refractory steps; a spike adds one to `spikes`.
    #[inline(always)]
    pub fn after_apply(
        &self,
        y: &mut [f64],
        w: usize,
        r: &mut i64,
        spikes: &mut u32,
    ) -> std::result::Result<(), String> {
        if y[0] < -1e3 || y[w] < -1e6 || y[w] > 1e6 {
            return Err(format!("V_m = {} mV, w = {} pA (NEST's bounds: V_m >= -1000 mV, |w| <= 1e6 pA)", y[0], y[w]));
        }
        if *r > 0 {
            y[0] = self.v_reset;
        } else if y[0] >= self.v_peak_eff {
            y[0] = self.v_reset;
            y[w] += self.b;
            *r = if self.ref_counts > 0 { self.ref_counts + 1 } else { 0 };
            *spikes += 1;
        }
        Ok(())
    }
}

/// After a neuron's step: sends the spikes its sub-steps produced and counts the refractory
/// period down (NEST decrements after the integration loop); returns the new counter.
#[inline(always)]
pub fn emit_and_count_down(out: &mut Emitter<'_>, i: usize, spikes: u32, r: i64) -> i64 {
    for _ in 0..spikes {
        out.spike(i);
    }
    if r > 0 {
        r - 1
    } else {
        r
    }
}

/// How a model words and orders NEST's AdEx checks (the models differ in both).
#[derive(Debug, Clone, Copy)]
pub struct AdexChecks {
    /// Check V_peak ≥ V_th before V_reset < V_peak (aeif_cond_exp) rather than after.
    pub peak_first: bool,
    /// NEST's text for V_reset ≥ V_peak.
    pub reset_msg: &'static str,
    /// NEST's text for C_m ≤ 0.
    pub c_m_msg: &'static str,
    /// Synaptic time constants checked with tau_w (columns).
    pub taus: &'static [usize],
    /// NEST's text for a non-positive time constant.
    pub tau_msg: &'static str,
}

/// ln(DBL_MAX / 1e20): the largest exponent NEST allows at V_peak.
fn max_exp_arg() -> f64 {
    (f64::MAX / 1e20).ln()
}

/// NEST's AdEx parameter checks, in the model's order; each error names the values.
pub fn check(row: &[f64], k: &AdexCols, c: &AdexChecks) -> Result<()> {
    let bad = |msg: &str, what: String| Err(Error::bad_property(format!("{msg} (got {what})")));
    let (v_peak, v_th, v_reset, delta_t) = (row[k.v_peak], row[k.v_th], row[k.v_reset], row[k.delta_t]);
    let peak = || {
        if v_peak < v_th {
            return bad("V_peak >= V_th required.", format!("V_peak = {v_peak} mV, V_th = {v_th} mV"));
        }
        Ok(())
    };
    if c.peak_first {
        peak()?;
    } else if v_reset >= v_peak {
        return bad(c.reset_msg, format!("V_reset = {v_reset} mV, V_peak = {v_peak} mV"));
    }
    if delta_t < 0.0 {
        return bad("Delta_T must be positive.", format!("Delta_T = {delta_t} mV"));
    }
    if delta_t > 0.0 && (v_peak - v_th) / delta_t >= max_exp_arg() {
        return bad(
            "The current combination of V_peak, V_th and Delta_T will lead to numerical overflow at spike time; try for instance to increase Delta_T or to reduce V_peak to avoid this problem.",
            format!("V_peak = {v_peak} mV, V_th = {v_th} mV, Delta_T = {delta_t} mV"),
        );
    }
    if c.peak_first {
        if v_reset >= v_peak {
            return bad(c.reset_msg, format!("V_reset = {v_reset} mV, V_peak = {v_peak} mV"));
        }
    } else {
        peak()?;
    }
    if row[k.c_m] <= 0.0 {
        return bad(c.c_m_msg, format!("C_m = {} pF", row[k.c_m]));
    }
    if row[k.t_ref] < 0.0 {
        return bad("Refractory time cannot be negative.", format!("t_ref = {} ms", row[k.t_ref]));
    }
    if c.taus.iter().any(|&t| row[t] <= 0.0) || row[k.tau_w] <= 0.0 {
        let mut v: Vec<String> = c.taus.iter().map(|&t| format!("{} ms", row[t])).collect();
        v.push(format!("tau_w = {} ms", row[k.tau_w]));
        return bad(c.tau_msg, v.join(", "));
    }
    if row[k.tol] <= 0.0 {
        return bad("The gsl_error_tol must be strictly positive.", format!("gsl_error_tol = {}", row[k.tol]));
    }
    Ok(())
}

/// NEST's state check of the two-synapse AdEx models: conductances (or, in NEST's wording for
/// the current-based models as well, currents) must not be negative.
pub fn check_nonnegative(row: &[f64], cols: &[(usize, &str)]) -> Result<()> {
    for &(c, name) in cols {
        if row[c] < 0.0 {
            return Err(Error::bad_property(format!("Conductances must not be negative. (got {name} = {})", row[c])));
        }
    }
    Ok(())
}
