//! # ALIF — adaptive leaky integrate-and-fire neuron (brainpy.state `ALIF`)
//!
//! τ dV/dt = −V + V_rest + R·I, τ_a da/dt = −a. Spike when (V − V_th − β·a)/(V_th − V_reset) ≥ 0;
//! the next step starts from V − (V_th − V_reset) (soft) or V_reset (hard) and a + 1.
//!
//! Parameters (defaults): R = 1 ohm, tau = 5 ms, tau_a = 100 ms, V_th = 1 mV, V_reset = 0 mV,
//! V_rest = 0 mV, beta = 0.1 mV, I_ext = 0 mA. State: V (0 mV), a (0).
//!
//! Reference: brainpy.state 0.1.0 `ALIF`; Bellec et al. (2018).

use super::{exp_euler, heaviside, p, Ctx, Dyn, Input};
use nestor_kernel::schema::ParamSpec;
use nestor_kernel::units::Unit;

const R: usize = 0;
const TAU: usize = 1;
const TAU_A: usize = 2;
const V_TH: usize = 3;
const V_RESET: usize = 4;
const V_REST: usize = 5;
const BETA: usize = 6;
const V: usize = 8;
const A: usize = 9;

/// brainpy.state `ALIF`.
pub struct Alif;

static SPECS: [ParamSpec; 10] = [
    ParamSpec::param("R", Unit::Ohm, 1.0, "Membrane resistance"),
    ParamSpec::param("tau", Unit::Millisecond, 5.0, "Membrane time constant"),
    ParamSpec::param("tau_a", Unit::Millisecond, 100.0, "Adaptation time constant"),
    ParamSpec::param("V_th", Unit::MilliVolt, 1.0, "Firing threshold"),
    ParamSpec::param("V_reset", Unit::MilliVolt, 0.0, "Reset potential"),
    ParamSpec::param("V_rest", Unit::MilliVolt, 0.0, "Resting potential"),
    ParamSpec::param("beta", Unit::MilliVolt, 0.1, "Threshold increase per unit of adaptation"),
    ParamSpec::param("I_ext", Unit::MilliAmpere, 0.0, "Constant external current (brainpy update argument x)"),
    ParamSpec::state("V", Unit::MilliVolt, 0.0, "Membrane potential"),
    ParamSpec::state("a", Unit::Dimensionless, 0.0, "Adaptation variable"),
];

impl Dyn for Alif {
    const NAME: &'static str = "ALIF";
    const DOC: &'static str = "Adaptive leaky integrate-and-fire neuron (brainpy.state)";
    const SPECS: &'static [ParamSpec] = &SPECS;
    const RECORDABLES: &'static [&'static str] = &["V", "a"];
    const V_UNIT: Unit = Unit::MilliVolt;
    const I_UNIT: Unit = Unit::MilliAmpere;
    const DELTA_UNIT: Unit = Unit::MilliVolt;

    #[inline(always)]
    fn membrane_jacobian(c: &[Vec<f64>], i: usize, b: f64) -> Option<f64> {
        Some((-1.0 + p(c, R, i) * b) / p(c, TAU, i))
    }

    #[inline(always)]
    fn step(c: &mut [Vec<f64>], i: usize, ctx: &Ctx, inp: &Input<'_>) -> bool {
        let (r, tau, tau_a, v_th, v_reset, v_rest, beta) =
            (p(c, R, i), p(c, TAU, i), p(c, TAU_A, i), p(c, V_TH, i), p(c, V_RESET, i), p(c, V_REST, i), p(c, BETA, i));
        let (last_v, last_a) = (c[V][i], c[A][i]);
        let spk = heaviside((last_v - v_th - beta * last_a) / (v_th - v_reset));
        let th = if ctx.hard { last_v } else { v_th };
        let v0 = last_v - (th - v_reset) * spk;
        let a0 = last_a + spk;
        let (cur, dcur) = inp.current(v0);
        let v = inp.membrane_step(v0, (-v0 + v_rest + r * cur) / tau, (-1.0 + r * dcur) / tau, ctx.dt);
        let a = exp_euler(a0, -a0 / tau_a, -1.0 / tau_a, ctx.dt);
        let v = v + inp.delta;
        c[V][i] = v;
        c[A][i] = a;
        heaviside((v - v_th - beta * a) / (v_th - v_reset)) > 0.0
    }
}
