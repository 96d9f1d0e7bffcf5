//! # IF — integrate-and-fire neuron (brainpy.state `IF`)
//!
//! τ dV/dt = −V + R·I(t). Spike when V ≥ V_th (scaled test (V − V_th)/V_th ≥ 0); the next
//! step starts from V − V_th (soft reset, default) or 0 (hard).
//!
//! | parameter | default | | state | initial |
//! |---|---|---|---|---|
//! | R | 1 ohm | | V | 0 mV |
//! | tau | 5 ms | | | |
//! | V_th | 1 mV | | | |
//! | I_ext | 0 mA (constant input, brainpy's `x`) | | | |
//!
//! Reference: brainpy.state 0.1.0 `IF`; Lapicque (1907).

use super::{heaviside, p, Ctx, Dyn, Input};
use nestor_kernel::schema::ParamSpec;
use nestor_kernel::units::Unit;

const R: usize = 0;
const TAU: usize = 1;
const V_TH: usize = 2;
const V: usize = 4;

/// brainpy.state `IF`.
pub struct If;

static SPECS: [ParamSpec; 5] = [
    ParamSpec::param("R", Unit::Ohm, 1.0, "Membrane resistance"),
    ParamSpec::param("tau", Unit::Millisecond, 5.0, "Membrane time constant"),
    ParamSpec::param("V_th", Unit::MilliVolt, 1.0, "Firing threshold"),
    ParamSpec::param("I_ext", Unit::MilliAmpere, 0.0, "Constant external current (brainpy update argument x)"),
    ParamSpec::state("V", Unit::MilliVolt, 0.0, "Membrane potential"),
];

impl Dyn for If {
    const NAME: &'static str = "IF";
    const DOC: &'static str = "Integrate-and-fire neuron (brainpy.state)";
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
        let (r, tau, v_th) = (p(c, R, i), p(c, TAU, i), p(c, V_TH, i));
        let last = c[V][i];
        let spk = heaviside((last - v_th) / v_th);
        let th = if ctx.hard { last } else { v_th };
        let v0 = last - th * spk;
        let (cur, dcur) = inp.current(v0);
        let v = inp.membrane_step(v0, (-v0 + r * cur) / tau, (-1.0 + r * dcur) / tau, ctx.dt) + inp.delta;
        c[V][i] = v;
        heaviside((v - v_th) / v_th) > 0.0
    }
}
