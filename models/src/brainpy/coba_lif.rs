//! # CobaLIF — LIF with a built-in exponential conductance synapse (brainpy.state `CobaLIF`)
//!
//! dg/dt = −g/τ_syn (delta inputs on receptor 1 are added to g, in S),
//! τ dV/dt = −(V − V_rest) + R·(g·(E − V) + I). Reset and spike test as [`super::lif`].
//!
//! Parameters (defaults): R = 1 ohm, tau = 5 ms, tau_syn = 5 ms, E = 0 mV, V_th = 1 mV,
//! V_reset = 0 mV, V_rest = 0 mV, I_ext = 0 mA. State: V (0 mV), g (0 S).
//!
//! Reference: brainpy.state 0.1.0 `CobaLIF`.

use super::{exp_euler, p, Ctx, Dyn, Input};
use nestor_kernel::schema::ParamSpec;
use nestor_kernel::units::Unit;

const R: usize = 0;
const TAU: usize = 1;
const TAU_SYN: usize = 2;
const E: usize = 3;
const V_TH: usize = 4;
const V_RESET: usize = 5;
const V_REST: usize = 6;
const V: usize = 8;
const G: usize = 9;

/// brainpy.state `CobaLIF`.
pub struct CobaLif;

static SPECS: [ParamSpec; 10] = [
    ParamSpec::param("R", Unit::Ohm, 1.0, "Membrane resistance"),
    ParamSpec::param("tau", Unit::Millisecond, 5.0, "Membrane time constant"),
    ParamSpec::param("tau_syn", Unit::Millisecond, 5.0, "Synaptic time constant"),
    ParamSpec::param("E", Unit::MilliVolt, 0.0, "Synaptic reversal potential"),
    ParamSpec::param("V_th", Unit::MilliVolt, 1.0, "Firing threshold"),
    ParamSpec::param("V_reset", Unit::MilliVolt, 0.0, "Reset potential"),
    ParamSpec::param("V_rest", Unit::MilliVolt, 0.0, "Resting potential"),
    ParamSpec::param("I_ext", Unit::MilliAmpere, 0.0, "Constant external current (brainpy update argument x)"),
    ParamSpec::state("V", Unit::MilliVolt, 0.0, "Membrane potential"),
    ParamSpec::state("g", Unit::Siemens, 0.0, "Synaptic conductance"),
];

impl Dyn for CobaLif {
    const NAME: &'static str = "CobaLIF";
    const DOC: &'static str = "LIF neuron with exponential conductance synapse (brainpy.state)";
    const SPECS: &'static [ParamSpec] = &SPECS;
    const RECORDABLES: &'static [&'static str] = &["V", "g"];
    const V_UNIT: Unit = Unit::MilliVolt;
    const I_UNIT: Unit = Unit::MilliAmpere;
    const DELTA_UNIT: Unit = Unit::Siemens;

    #[inline(always)]
    fn step(c: &mut [Vec<f64>], i: usize, ctx: &Ctx, inp: &Input<'_>) -> bool {
        let (r, tau, tau_syn, e, v_th, v_reset, v_rest) =
            (p(c, R, i), p(c, TAU, i), p(c, TAU_SYN, i), p(c, E, i), p(c, V_TH, i), p(c, V_RESET, i), p(c, V_REST, i));
        let v0 = super::lif_reset(c[V][i], v_th, v_reset, ctx.hard);
        let g0 = c[G][i];
        let g = exp_euler(g0, -g0 / tau_syn, -1.0 / tau_syn, ctx.dt) + inp.delta;
        c[G][i] = g;
        let (cur, dcur) = inp.current(v0);
        // S · mV = mA.
        let f = (-(v0 - v_rest) + r * (g * (e - v0) + cur)) / tau;
        let v = exp_euler(v0, f, (-1.0 + r * (-g + dcur)) / tau, ctx.dt);
        c[V][i] = v;
        super::lif_spike(v, v_th, v_reset)
    }
}
