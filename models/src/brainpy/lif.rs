//! # LIF — leaky integrate-and-fire neuron (brainpy.state `LIF`)
//!
//! τ dV/dt = −(V − V_rest) + R·I(t). Spike when (V − V_th)/(V_th − V_reset) ≥ 0; the next step
//! starts from V − (V_th − V_reset) (soft reset, default) or V_reset (hard), then integrates
//! with brainpy's exponential Euler step (the synaptic output's ∂I/∂V is part of the linear
//! term). Delta inputs are added to V after the step.
//!
//! Parameters (defaults): R = 1 ohm, tau = 5 ms, V_th = 1 mV, V_reset = 0 mV, V_rest = 0 mV,
//! I_ext = 0 mA (constant input, brainpy's `x`). State: V (0 mV).
//!
//! Reference: brainpy.state 0.1.0 `LIF`; Gerstner et al. (2014), Neuronal Dynamics.

use super::lif_block::{lif_block, LifCols};
use super::{p, Block, Ctx, Dyn, Input};
use nestor_kernel::schema::ParamSpec;
use nestor_kernel::units::Unit;

const R: usize = 0;
const TAU: usize = 1;
const V_TH: usize = 2;
const V_RESET: usize = 3;
const V_REST: usize = 4;
const V: usize = 6;

/// brainpy.state `LIF`.
pub struct Lif;

static SPECS: [ParamSpec; 7] = [
    ParamSpec::param("R", Unit::Ohm, 1.0, "Membrane resistance"),
    ParamSpec::param("tau", Unit::Millisecond, 5.0, "Membrane time constant"),
    ParamSpec::param("V_th", Unit::MilliVolt, 1.0, "Firing threshold"),
    ParamSpec::param("V_reset", Unit::MilliVolt, 0.0, "Reset potential"),
    ParamSpec::param("V_rest", Unit::MilliVolt, 0.0, "Resting potential"),
    ParamSpec::param("I_ext", Unit::MilliAmpere, 0.0, "Constant external current (brainpy update argument x)"),
    ParamSpec::state("V", Unit::MilliVolt, 0.0, "Membrane potential"),
];

impl Dyn for Lif {
    const NAME: &'static str = "LIF";
    const DOC: &'static str = "Leaky integrate-and-fire neuron (brainpy.state)";
    const SPECS: &'static [ParamSpec] = &SPECS;
    const RECORDABLES: &'static [&'static str] = &["V"];
    const V_UNIT: Unit = Unit::MilliVolt;
    const I_UNIT: Unit = Unit::MilliAmpere;
    const DELTA_UNIT: Unit = Unit::MilliVolt;

    #[inline(always)]
    fn membrane_jacobian(c: &[Vec<f64>], i: usize, b: f64) -> Option<f64> {
        Some((-1.0 + p(c, R, i) * b) / p(c, TAU, i))
    }

    #[inline(always)]
    fn step(c: &mut [Vec<f64>], i: usize, ctx: &Ctx, inp: &Input<'_>) -> bool {
        let (r, tau, v_th, v_reset, v_rest) =
            (p(c, R, i), p(c, TAU, i), p(c, V_TH, i), p(c, V_RESET, i), p(c, V_REST, i));
        let v0 = super::lif_reset(c[V][i], v_th, v_reset, ctx.hard);
        let (cur, dcur) = inp.current(v0);
        let v = inp.membrane_step(v0, (-v0 + v_rest + r * cur) / tau, (-1.0 + r * dcur) / tau, ctx.dt) + inp.delta;
        c[V][i] = v;
        super::lif_spike(v, v_th, v_reset)
    }

    fn step_block(c: &mut [Vec<f64>], blk: Block<'_>, spiked: &mut [bool]) -> bool {
        let [r, tau, v_th, v_reset, v_rest, _, v] = c else {
            return false;
        };
        lif_block(LifCols { r, tau, v_th, v_reset, v_rest }, v, None, &blk, spiked);
        true
    }
}
