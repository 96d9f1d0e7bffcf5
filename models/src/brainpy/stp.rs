//! # Short-term plasticity: `STP` (Tsodyks–Markram) and `STD` (depression only)
//!
//! brainpy.state's presynaptic short-term plasticity, run per presynaptic neuron in an
//! align-pre port before the synapse. Each step, with `s` the neuron's spike (0 or 1) and the
//! old values `u₀`, `x₀`:
//!
//! * `STP` (U = 0.15, tau_f = 1500 ms, tau_d = 200 ms; u starts at U, x at 1):
//!   `u ← EE(u₀; −u/τ_f) + s·U·(1 − u₀)`, `x' = EE(x₀; (1 − x)/τ_d)`, released `= u·x'`,
//!   `x ← x' − s·u·x₀`; the synapse receives `s·u·x'`.
//! * `STD` (tau = 200 ms, U = 0.07; x starts at 1): `x' = EE(x₀; (1 − x)/τ)`, released `= x'`,
//!   `x ← x' − s·U·x₀`; the synapse receives `s·x'`.
//!
//! `EE` is brainpy's exponential Euler step. Reference: brainpy.state 0.1.0,
//! `brainpy_state/_brainpy/stp.py`; Tsodyks & Markram (1997), Tsodyks, Pawelzik & Markram (1998).

use super::exp_euler;
use super::synapses::{get, model_of, positive};
use nestor_kernel::error::{Error, Result};
use nestor_kernel::units::Unit;
use nestor_kernel::value::{Dict, Value};

/// A short-term plasticity rule with its parameters.
#[derive(Debug, Clone, PartialEq)]
pub enum Plasticity {
    /// Facilitation and depression.
    Stp {
        /// Increment of u per spike.
        u_inc: f64,
        /// Facilitation time constant, ms.
        tau_f: f64,
        /// Depression time constant, ms.
        tau_d: f64,
    },
    /// Depression only.
    Std {
        /// Recovery time constant, ms.
        tau: f64,
        /// Fraction of resources used per spike.
        u: f64,
    },
}

impl Plasticity {
    /// Parses `<< /model /STP /U 0.2 /tau_f 1500 ms /tau_d 200 ms >>` or `<< /model /STD ... >>`.
    pub fn from_dict(d: &Dict) -> Result<Plasticity> {
        let name = match d.get("model") {
            Some(Value::Str(s)) => s.as_str(),
            _ => "",
        };
        let unit_interval = |k: &str, x: f64| -> Result<f64> {
            if (0.0..=1.0).contains(&x) {
                Ok(x)
            } else {
                Err(Error::bad_property(format!("{name}: {k} must be in [0, 1], got {x}")))
            }
        };
        match name {
            "STP" => {
                model_of(d, &["U", "tau_f", "tau_d"], "stp")?;
                Ok(Plasticity::Stp {
                    u_inc: unit_interval("U", get(d, "U", Unit::Dimensionless, 0.15)?)?,
                    tau_f: positive(name, "tau_f", get(d, "tau_f", Unit::Millisecond, 1500.0)?)?,
                    tau_d: positive(name, "tau_d", get(d, "tau_d", Unit::Millisecond, 200.0)?)?,
                })
            }
            "STD" => {
                model_of(d, &["U", "tau"], "stp")?;
                Ok(Plasticity::Std {
                    tau: positive(name, "tau", get(d, "tau", Unit::Millisecond, 200.0)?)?,
                    u: unit_interval("U", get(d, "U", Unit::Dimensionless, 0.07)?)?,
                })
            }
            other => Err(Error::bad_property(format!("unknown short-term plasticity '{other}' (expected STP or STD)"))),
        }
    }

    /// Initial state `[x, u]`.
    pub fn initial(&self) -> [f64; 2] {
        match *self {
            Plasticity::Stp { u_inc, .. } => [1.0, u_inc],
            Plasticity::Std { .. } => [1.0, 0.0],
        }
    }

    /// One step with spike `s` (0 or 1); returns what the synapse receives.
    #[inline]
    pub fn step(&self, st: &mut [f64; 2], s: f64, dt: f64) -> f64 {
        match *self {
            Plasticity::Stp { u_inc, tau_f, tau_d } => {
                let (x0, u0) = (st[0], st[1]);
                let u = exp_euler(u0, -u0 / tau_f, -1.0 / tau_f, dt) + s * u_inc * (1.0 - u0);
                let x = exp_euler(x0, (1.0 - x0) / tau_d, -1.0 / tau_d, dt);
                let released = u * x;
                st[0] = x - s * u * x0;
                st[1] = u;
                released * s
            }
            Plasticity::Std { tau, u } => {
                let x0 = st[0];
                let x = exp_euler(x0, (1.0 - x0) / tau, -1.0 / tau, dt);
                st[0] = x - s * u * x0;
                x * s
            }
        }
    }
}
