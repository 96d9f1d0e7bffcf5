//! # Synaptic outputs: `COBA`, `CUBA`, `MgBlock`
//!
//! How a synapse's conductance `g` becomes a current into the neuron (brainpy.state's `SynOut`
//! classes). The current is evaluated at the membrane potential the neuron model passes, inside
//! the drift of the LIF family (so the exponential Euler step sees its derivative) and at the
//! start of the step for the HH family, as brainpy does.
//!
//! | output | parameters (defaults) | current | ∂I/∂V |
//! |---|---|---|---|
//! | `COBA` | E (mV, required) | g·(E − V) | −g |
//! | `CUBA` | scale = 1 V | g·scale | 0 |
//! | `MgBlock` | E = 0 mV, cc_Mg = 1.2 mM, alpha = 0.062 /mV, beta = 3.57 mM, V_offset = 0 mV | g·(E − V)/(1 + cc_Mg/β·exp(α·(V_offset − V))) | by the quotient rule |
//!
//! Units: weights (and so `g`) carry the unit that makes the product a current of the neuron
//! model: mS for COBA/MgBlock into mA- or µA-based neurons, mS for CUBA with a scale in volts,
//! a current for CUBA with a dimensionless scale. A weight of another dimension is refused at
//! `Connect`.
//!
//! Reference: brainpy.state 0.1.0, `brainpy_state/_brainpy/synouts.py`; Jahr & Stevens (1990)
//! for the magnesium block.

use super::synapses::{get, model_of};
use nestor_kernel::error::{Error, Result};
use nestor_kernel::units::{Dim, Quantity, Unit};
use nestor_kernel::value::{Dict, Value};

/// A synaptic output with its parameters (potentials in the neuron's V unit).
#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    /// Conductance-based: g·(E − V).
    Coba {
        /// Reversal potential.
        e: f64,
    },
    /// Current-based: g·scale.
    Cuba {
        /// The scale as a quantity (SI magnitude and dimension).
        scale: Quantity,
    },
    /// Gap-junction input, the part Σ w·V_pre (received from voltage ports).
    GapValue,
    /// Gap-junction input, the part Σ w (received from unit ports); the current is
    /// Σ w·V_pre − Σ w·V, with V at the start of the step.
    GapWeight,
    /// NMDA magnesium block.
    MgBlock {
        /// Reversal potential.
        e: f64,
        /// Mg²⁺ concentration / β (dimensionless).
        mg_beta: f64,
        /// Steepness, 1/(V unit).
        alpha: f64,
        /// Offset potential.
        v_offset: f64,
    },
}

impl Output {
    /// Parses `<< /model /COBA /E 0 mV >>` and friends; potentials in `v_unit`.
    pub fn from_dict(d: &Dict, v_unit: Unit) -> Result<Output> {
        let name = match d.get("model") {
            Some(Value::Str(s)) => s.as_str(),
            _ => "",
        };
        match name {
            "COBA" => {
                model_of(d, &["E"], "output")?;
                if !d.contains_key("E") {
                    return Err(Error::bad_property("COBA: the reversal potential /E is required"));
                }
                Ok(Output::Coba { e: get(d, "E", v_unit, 0.0)? })
            }
            "CUBA" => {
                model_of(d, &["scale"], "output")?;
                let scale = match d.get("scale") {
                    None => Quantity::new(1000.0, Unit::MilliVolt),
                    Some(Value::Quantity(q)) => *q,
                    Some(v) => Quantity::new(v.as_f64("scale")?, Unit::Dimensionless),
                };
                Ok(Output::Cuba { scale })
            }
            "MgBlock" => {
                model_of(d, &["E", "cc_Mg", "alpha", "beta", "V_offset"], "output")?;
                let cc = get(d, "cc_Mg", Unit::MilliMolar, 1.2)?;
                let beta = get(d, "beta", Unit::MilliMolar, 3.57)?;
                if beta <= 0.0 || cc < 0.0 {
                    return Err(Error::bad_property(format!(
                        "MgBlock: needs cc_Mg >= 0 and beta > 0, got cc_Mg = {cc}, beta = {beta}"
                    )));
                }
                let alpha_unit = if v_unit == Unit::MilliVolt { Unit::PerMillivolt } else { Unit::Dimensionless };
                Ok(Output::MgBlock {
                    e: get(d, "E", v_unit, 0.0)?,
                    mg_beta: cc / beta,
                    alpha: get(d, "alpha", alpha_unit, 0.062)?,
                    v_offset: get(d, "V_offset", v_unit, 0.0)?,
                })
            }
            other => {
                Err(Error::bad_property(format!("unknown synaptic output '{other}' (expected COBA, CUBA or MgBlock)")))
            }
        }
    }

    /// brainpy's class name.
    pub fn name(&self) -> &'static str {
        match self {
            Output::Coba { .. } => "COBA",
            Output::Cuba { .. } => "CUBA",
            Output::MgBlock { .. } => "MgBlock",
            Output::GapValue | Output::GapWeight => "gap junction",
        }
    }

    /// Dimension and SI size of what multiplies `g`: the potential (COBA, MgBlock) or the
    /// scale (CUBA).
    pub fn factor(&self, v_unit: Unit) -> (Dim, f64) {
        match self {
            Output::Cuba { scale } => (scale.dim, scale.si),
            _ => (v_unit.dim(), v_unit.si_factor()),
        }
    }

    /// Current (in units of g × factor) and its derivative with respect to V.
    #[inline]
    pub fn current(&self, g: f64, v: f64) -> (f64, f64) {
        match *self {
            Output::Coba { e } => (g * (e - v), -g),
            // The SI scale is folded into the receptor's factor k.
            Output::Cuba { .. } => (g, 0.0),
            // Evaluated once per step at the start-of-step V (see BpNodes::update).
            Output::GapValue | Output::GapWeight => (0.0, 0.0),
            Output::MgBlock { e, mg_beta, alpha, v_offset } => {
                let b = mg_beta * (alpha * (v_offset - v)).exp();
                let norm = 1.0 + b;
                let i = g * (e - v) / norm;
                // d/dV: −g/norm + g(E − V)·α·b/norm²
                let di = -g / norm + g * (e - v) * alpha * b / (norm * norm);
                (i, di)
            }
        }
    }
}
