//! # Synapse kinetics: `Expon`, `DualExpon`, `Alpha`, `AMPA`, `GABAa`, `BioNMDA`
//!
//! brainpy.state's synapse models, as used by projections. The state lives either on the
//! postsynaptic population (AlignPost: linear kinetics only) or on the presynaptic population
//! (align-pre port). `x` is the input of one step: the summed weighted spikes (AlignPost) or the
//! neuron's own spike, possibly scaled by STP (align-pre). Updates use brainpy's exponential
//! Euler step `exp_euler(x, f, J, dt)`.
//!
//! | model | parameters (defaults) | update per step |
//! |---|---|---|
//! | `Expon` | tau = 8 ms | g ← EE(g; −g/τ) + x |
//! | `DualExpon` | tau_decay = 10 ms, tau_rise = 1 ms, amplitude = 1, normalize = true | g_r ← EE(g_r; −g_r/τ_r) + x, g_d ← EE(g_d; −g_d/τ_d) + x, out = A·N·(g_d − g_r), N = τ_d/(τ_d − τ_r)·(τ_r/τ_d)^(τ_r/(τ_r − τ_d)) if normalize |
//! | `Alpha` | tau = 8 ms | g ← EE(g; (h − g)/τ) with the old h, h ← EE(h; −h/τ) + x, out = g |
//! | `AMPA` | alpha = 0.98 /(ms·mM), beta = 0.18 /ms, T = 0.5 mM, T_dur = 0.5 ms | spike (x ≠ 0) sets t_spike = t; TT = T if t − t_spike < T_dur else 0; g ← EE(g; α·TT·(1 − g) − β·g) |
//! | `GABAa` | alpha = 0.53 /(ms·mM), beta = 0.18 /ms, T = 1 mM, T_dur = 1 ms | as AMPA |
//! | `BioNMDA` | alpha1 = 2 /ms, beta1 = 0.01 /ms, alpha2 = 1 /(ms·mM), beta2 = 0.5 /ms, T = 1 mM, T_dur = 0.5 ms | x_s ← EE(x_s; α₂·TT·(1 − x_s) − β₂·x_s); g ← EE(g; α₁·x_s·(1 − g) − β₁·g) |
//!
//! `g` is in mS (brainpy's default `g_initializer`). Expon, DualExpon and Alpha are linear in
//! their input, so the inputs of many presynaptic neurons can be summed into one state per
//! postsynaptic neuron (AlignPost); AMPA, GABAa and BioNMDA are not and are refused there.
//!
//! Reference: brainpy.state 0.1.0 (`brainpy_state/_brainpy/exponential.py`, `synapse.py`);
//! Destexhe, Mainen & Sejnowski (1994) for the kinetic AMPA/GABAa/NMDA schemes.

use super::exp_euler;
use nestor_kernel::error::{Error, Result};
use nestor_kernel::units::Unit;
use nestor_kernel::value::{Dict, Value};

/// A synapse model with its parameters.
#[derive(Debug, Clone, PartialEq)]
pub enum SynKind {
    /// Single exponential decay.
    Expon {
        /// Decay time constant, ms.
        tau: f64,
    },
    /// Difference of two exponentials.
    DualExpon {
        /// Decay time constant, ms.
        tau_decay: f64,
        /// Rise time constant, ms.
        tau_rise: f64,
        /// Amplitude (with normalization: peak).
        amplitude: f64,
        /// Normalize the peak to `amplitude`.
        normalize: bool,
    },
    /// Alpha function (two coupled first-order stages).
    Alpha {
        /// Time constant, ms.
        tau: f64,
    },
    /// Kinetic AMPA (or GABAa: same equations, other defaults) receptor.
    Kinetic {
        /// `AMPA` or `GABAa`.
        name: &'static str,
        /// Binding rate, 1/(ms·mM).
        alpha: f64,
        /// Unbinding rate, 1/ms.
        beta: f64,
        /// Transmitter concentration during a pulse, mM.
        t_conc: f64,
        /// Pulse duration, ms.
        t_dur: f64,
    },
    /// Two-stage NMDA kinetics.
    BioNmda {
        /// Opening rate, 1/ms.
        alpha1: f64,
        /// Closing rate, 1/ms.
        beta1: f64,
        /// Binding rate, 1/(ms·mM).
        alpha2: f64,
        /// Unbinding rate, 1/ms.
        beta2: f64,
        /// Transmitter concentration, mM.
        t_conc: f64,
        /// Pulse duration, ms.
        t_dur: f64,
    },
}

/// Per-neuron state of a synapse (structure of arrays).
#[derive(Debug, Clone, Default)]
pub struct SynState {
    /// g (Expon, Alpha, AMPA, NMDA), g_decay (DualExpon).
    a: Vec<f64>,
    /// h (Alpha), g_rise (DualExpon), x (NMDA).
    b: Vec<f64>,
    /// Last spike arrival time, ms (kinetic models).
    last: Vec<f64>,
    /// `dt·φ(−dt/τ)` of the linear decays (τ, τ_rise), set by `prepare`.
    coef: [f64; 2],
}

impl SynState {
    /// Zero state for `n` neurons.
    pub fn new(k: &SynKind, n: usize) -> Self {
        // Only the vectors a kinetics uses: an AlignPost Expon receptor costs 8 bytes per
        // postsynaptic neuron (plus the 8-byte output), whatever the number of synapses.
        let (nb, nl) = match k {
            SynKind::Expon { .. } => (0, 0),
            SynKind::DualExpon { .. } | SynKind::Alpha { .. } => (n, 0),
            SynKind::Kinetic { .. } => (0, n),
            SynKind::BioNmda { .. } => (n, n),
        };
        SynState { a: vec![0.0; n], b: vec![0.0; nb], last: vec![-1e7; nl], coef: [f64::NAN; 2] }
    }
    /// Bytes of state held.
    pub fn bytes(&self) -> usize {
        8 * (self.a.len() + self.b.len() + self.last.len())
    }
    /// Precomputes the step coefficients for resolution `dt`.
    pub fn prepare(&mut self, k: &SynKind, dt: f64) {
        let c = |tau: f64| dt * super::exprel(dt * (-1.0 / tau));
        self.coef = match *k {
            SynKind::Expon { tau } | SynKind::Alpha { tau } => [c(tau), 0.0],
            SynKind::DualExpon { tau_decay, tau_rise, .. } => [c(tau_decay), c(tau_rise)],
            _ => [0.0; 2],
        };
    }
}

/// Reads optional parameter `key` of `d` in `unit`, or `default`.
pub(crate) fn get(d: &Dict, key: &str, unit: Unit, default: f64) -> Result<f64> {
    match d.get(key) {
        None => Ok(default),
        Some(v) => {
            let x = v.as_f64_in(unit, key)?;
            if !x.is_finite() {
                return Err(Error::bad_property(format!("'{key}' must be finite, got {x}")));
            }
            Ok(x)
        }
    }
}

/// The `/model` name of a component dictionary and a check that no unknown key is present.
pub(crate) fn model_of<'a>(d: &'a Dict, allowed: &[&str], what: &str) -> Result<&'a str> {
    let m = match d.get("model") {
        Some(Value::Str(s)) => s.as_str(),
        Some(other) => {
            return Err(Error::argument_type(format!("{what}: /model must be a name, got {}", other.type_name())))
        }
        None => return Err(Error::bad_property(format!("{what}: the dictionary needs a /model entry"))),
    };
    for k in d.keys() {
        if k != "model" && !allowed.contains(&k.as_str()) {
            return Err(Error::bad_property(format!(
                "{what} {m}: unknown parameter '{k}' (expected {})",
                allowed.join(", ")
            )));
        }
    }
    Ok(m)
}

pub(crate) fn positive(name: &str, key: &str, x: f64) -> Result<f64> {
    if x > 0.0 {
        Ok(x)
    } else {
        Err(Error::bad_property(format!("{name}: {key} must be positive, got {x}")))
    }
}

impl SynKind {
    /// Parses `<< /model /Expon /tau 5 ms >>` and friends.
    pub fn from_dict(d: &Dict) -> Result<SynKind> {
        let name = match d.get("model") {
            Some(Value::Str(s)) => s.as_str(),
            _ => "",
        };
        let ms = Unit::Millisecond;
        let k = match name {
            "Expon" => {
                model_of(d, &["tau"], "synapse")?;
                SynKind::Expon { tau: positive(name, "tau", get(d, "tau", ms, 8.0)?)? }
            }
            "Alpha" => {
                model_of(d, &["tau"], "synapse")?;
                SynKind::Alpha { tau: positive(name, "tau", get(d, "tau", ms, 8.0)?)? }
            }
            "DualExpon" => {
                model_of(d, &["tau_decay", "tau_rise", "amplitude", "normalize"], "synapse")?;
                let tau_decay = positive(name, "tau_decay", get(d, "tau_decay", ms, 10.0)?)?;
                let tau_rise = positive(name, "tau_rise", get(d, "tau_rise", ms, 1.0)?)?;
                let normalize = match d.get("normalize") {
                    None => true,
                    Some(v) => v.as_bool("normalize")?,
                };
                if normalize && tau_decay == tau_rise {
                    return Err(Error::bad_property(
                        "DualExpon: tau_decay must differ from tau_rise when normalize=true (use Alpha for equal time constants)",
                    ));
                }
                SynKind::DualExpon {
                    tau_decay,
                    tau_rise,
                    amplitude: get(d, "amplitude", Unit::Dimensionless, 1.0)?,
                    normalize,
                }
            }
            "AMPA" | "GABAa" => {
                model_of(d, &["alpha", "beta", "T", "T_dur"], "synapse")?;
                let ampa = name == "AMPA";
                SynKind::Kinetic {
                    name: if ampa { "AMPA" } else { "GABAa" },
                    alpha: positive(
                        name,
                        "alpha",
                        get(d, "alpha", Unit::PerMillisecondPerMilliMolar, if ampa { 0.98 } else { 0.53 })?,
                    )?,
                    beta: positive(name, "beta", get(d, "beta", Unit::PerMillisecond, 0.18)?)?,
                    t_conc: get(d, "T", Unit::MilliMolar, if ampa { 0.5 } else { 1.0 })?,
                    t_dur: positive(name, "T_dur", get(d, "T_dur", ms, if ampa { 0.5 } else { 1.0 })?)?,
                }
            }
            "BioNMDA" => {
                model_of(d, &["alpha1", "beta1", "alpha2", "beta2", "T", "T_dur"], "synapse")?;
                SynKind::BioNmda {
                    alpha1: positive(name, "alpha1", get(d, "alpha1", Unit::PerMillisecond, 2.0)?)?,
                    beta1: positive(name, "beta1", get(d, "beta1", Unit::PerMillisecond, 0.01)?)?,
                    alpha2: positive(name, "alpha2", get(d, "alpha2", Unit::PerMillisecondPerMilliMolar, 1.0)?)?,
                    beta2: positive(name, "beta2", get(d, "beta2", Unit::PerMillisecond, 0.5)?)?,
                    t_conc: get(d, "T", Unit::MilliMolar, 1.0)?,
                    t_dur: positive(name, "T_dur", get(d, "T_dur", ms, 0.5)?)?,
                }
            }
            other => {
                return Err(Error::bad_property(format!(
                    "unknown synapse model '{other}' (expected Expon, DualExpon, Alpha, AMPA, GABAa or BioNMDA)"
                )))
            }
        };
        Ok(k)
    }

    /// brainpy's class name.
    pub fn name(&self) -> &'static str {
        match self {
            SynKind::Expon { .. } => "Expon",
            SynKind::DualExpon { .. } => "DualExpon",
            SynKind::Alpha { .. } => "Alpha",
            SynKind::Kinetic { name, .. } => name,
            SynKind::BioNmda { .. } => "BioNMDA",
        }
    }

    /// True when the kinetics are linear in the input (AlignPost allowed).
    pub fn is_linear(&self) -> bool {
        matches!(self, SynKind::Expon { .. } | SynKind::DualExpon { .. } | SynKind::Alpha { .. })
    }

    /// Advances the states of neurons `lo .. lo + x.len()` by one step with inputs `x`, writing
    /// the outputs to `g`.
    pub fn step_range(&self, s: &mut SynState, lo: usize, x: &[f64], g: &mut [f64], t: f64, dt: f64) {
        match *self {
            SynKind::Expon { tau } => {
                let (a, c) = (&mut s.a[lo..lo + x.len()], s.coef[0]);
                super::with_avx2(
                    #[inline(always)]
                    || expon_all(a, x, g, c, tau),
                )
            }
            _ => {
                for (j, gj) in g.iter_mut().enumerate() {
                    *gj = self.step(s, lo + j, x[j], t, dt);
                }
            }
        }
    }

    /// Advances neuron `i`'s state by one step with input `x` at time `t` (ms); returns the
    /// synapse output (conductance).
    #[inline]
    pub fn step(&self, s: &mut SynState, i: usize, x: f64, t: f64, dt: f64) -> f64 {
        match *self {
            SynKind::Expon { tau } => {
                let g = s.a[i];
                // exp_euler with its constant φ hoisted.
                let g = g + s.coef[0] * (-g / tau) + x;
                s.a[i] = g;
                g
            }
            SynKind::DualExpon { tau_decay, tau_rise, amplitude, normalize } => {
                let r = s.b[i];
                let d = s.a[i];
                let r = r + s.coef[1] * (-r / tau_rise) + x;
                let d = d + s.coef[0] * (-d / tau_decay) + x;
                s.b[i] = r;
                s.a[i] = d;
                let mut scale = amplitude;
                if normalize {
                    scale *= tau_decay / (tau_decay - tau_rise)
                        * (tau_rise / tau_decay).powf(tau_rise / (tau_rise - tau_decay));
                }
                scale * (d - r)
            }
            SynKind::Alpha { tau } => {
                let h = s.b[i];
                let g = s.a[i];
                let h_new = h + s.coef[0] * (-h / tau);
                let g = g + s.coef[0] * (-g / tau + h / tau);
                s.a[i] = g;
                s.b[i] = h_new + x;
                g
            }
            SynKind::Kinetic { alpha, beta, t_conc, t_dur, .. } => {
                if x != 0.0 {
                    s.last[i] = t;
                }
                let tt = if t - s.last[i] < t_dur { t_conc } else { 0.0 };
                let g = s.a[i];
                let g = exp_euler(g, alpha * tt * (1.0 - g) - beta * g, -alpha * tt - beta, dt);
                s.a[i] = g;
                g
            }
            SynKind::BioNmda { alpha1, beta1, alpha2, beta2, t_conc, t_dur } => {
                if x != 0.0 {
                    s.last[i] = t;
                }
                let tt = if t - s.last[i] < t_dur { t_conc } else { 0.0 };
                let xs = s.b[i];
                let xs = exp_euler(xs, alpha2 * tt * (1.0 - xs) - beta2 * xs, -alpha2 * tt - beta2, dt);
                s.b[i] = xs;
                let g = s.a[i];
                let g = exp_euler(g, alpha1 * xs * (1.0 - g) - beta1 * g, -alpha1 * xs - beta1, dt);
                s.a[i] = g;
                g
            }
        }
    }
}

/// Expon's step for a whole chunk (the same numbers as [`SynKind::step`]).
#[inline(always)]
fn expon_all(a: &mut [f64], x: &[f64], g: &mut [f64], c: f64, tau: f64) {
    for ((a, &xi), gi) in a.iter_mut().zip(x).zip(g.iter_mut()) {
        *a = *a + c * (-*a / tau) + xi;
        *gi = *a;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dict(pairs: &[(&str, Value)]) -> Dict {
        pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
    }

    #[test]
    fn expon_decays_and_adds_input() {
        let k =
            SynKind::from_dict(&dict(&[("model", Value::Str("Expon".into())), ("tau", Value::Double(5.0))])).unwrap();
        let mut s = SynState::new(&k, 1);
        s.prepare(&k, 0.1);
        assert_eq!(k.step(&mut s, 0, 1.0, 0.0, 0.1), 1.0);
        let g = k.step(&mut s, 0, 0.0, 0.1, 0.1);
        assert!((g - (-0.1f64 / 5.0).exp()).abs() < 1e-15);
    }

    #[test]
    fn nonlinear_kinetics_and_bad_parameters() {
        let k = SynKind::from_dict(&dict(&[("model", Value::Str("AMPA".into()))])).unwrap();
        assert!(!k.is_linear());
        let e = SynKind::from_dict(&dict(&[("model", Value::Str("Expon".into())), ("tau", Value::Double(-1.0))]))
            .unwrap_err();
        assert!(e.message.contains("tau must be positive"), "{}", e.message);
        let e = SynKind::from_dict(&dict(&[("model", Value::Str("Expon".into())), ("taux", Value::Double(1.0))]))
            .unwrap_err();
        assert!(e.message.contains("taux"), "{}", e.message);
    }
}
