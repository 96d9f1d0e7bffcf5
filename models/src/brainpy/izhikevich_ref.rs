//! # IzhikevichRef — Izhikevich neuron with refractory period (brainpy.state `IzhikevichRef`)
//!
//! As [`super::izhikevich`]; during the refractory period (tau_ref, default 0 ms) V and u keep
//! their post-reset values.
//!
//! Reference: brainpy.state 0.1.0 `IzhikevichRef`.

use super::{exp_euler, heaviside, p, Ctx, Dyn, Input};
use nestor_kernel::schema::ParamSpec;
use nestor_kernel::units::Unit;

const A: usize = 0;
const B: usize = 1;
const C: usize = 2;
const D: usize = 3;
const V_TH: usize = 4;
const TAU_REF: usize = 5;
const V: usize = 7;
const U: usize = 8;
const LAST_SPIKE_TIME: usize = 9;

/// brainpy.state `IzhikevichRef`.
pub struct IzhikevichRef;

static SPECS: [ParamSpec; 10] = [
    ParamSpec::param("a", Unit::PerMillisecond, 0.02, "Recovery time scale"),
    ParamSpec::param("b", Unit::PerMillisecond, 0.2, "Recovery sensitivity"),
    ParamSpec::param("c", Unit::MilliVolt, -65.0, "Reset potential"),
    ParamSpec::param("d", Unit::MilliVoltPerMillisecond, 8.0, "Recovery increment after a spike"),
    ParamSpec::param("V_th", Unit::MilliVolt, 30.0, "Spike cutoff"),
    ParamSpec::param("tau_ref", Unit::Millisecond, 0.0, "Refractory period"),
    ParamSpec::param(
        "I_ext",
        Unit::MilliVoltPerMillisecond,
        0.0,
        "Constant external input (brainpy update argument x)",
    ),
    ParamSpec::state("V", Unit::MilliVolt, -65.0, "Membrane potential"),
    ParamSpec::state("u", Unit::MilliVoltPerMillisecond, 0.0, "Recovery variable"),
    ParamSpec::state("last_spike_time", Unit::Millisecond, -1e7, "Time of the last spike"),
];

impl Dyn for IzhikevichRef {
    const NAME: &'static str = "IzhikevichRef";
    const DOC: &'static str = "Izhikevich neuron with refractory period (brainpy.state)";
    const SPECS: &'static [ParamSpec] = &SPECS;
    const RECORDABLES: &'static [&'static str] = &["V", "u", "last_spike_time"];
    const V_UNIT: Unit = Unit::MilliVolt;
    const I_UNIT: Unit = Unit::MilliVoltPerMillisecond;
    const DELTA_UNIT: Unit = Unit::MilliVolt;
    const HARD_DEFAULT: bool = true;

    #[inline(always)]
    fn step(c: &mut [Vec<f64>], i: usize, ctx: &Ctx, inp: &Input<'_>) -> bool {
        let (a, b, cr, d, v_th) = (p(c, A, i), p(c, B, i), p(c, C, i), p(c, D, i), p(c, V_TH, i));
        let (last_v, last_u) = (c[V][i], c[U][i]);
        let spk = heaviside((last_v - v_th) / v_th);
        let v0 = if spk > 0.0 { cr } else { last_v };
        let u0 = last_u + d * spk;
        let (cur, dcur) = inp.current(v0);
        let f = 0.04 * v0 * v0 + 5.0 * v0 + 140.0 - u0 + cur;
        let v = exp_euler(v0, f, 0.08 * v0 + 5.0 + dcur, ctx.dt) + inp.delta;
        let u = exp_euler(u0, a * (b * v - u0), -a, ctx.dt);
        let refr = ctx.t - c[LAST_SPIKE_TIME][i] < p(c, TAU_REF, i);
        let (v, u) = if refr { (v0, u0) } else { (v, u) };
        c[V][i] = v;
        c[U][i] = u;
        if v >= v_th {
            c[LAST_SPIKE_TIME][i] = ctx.t;
        }
        heaviside((v - v_th) / v_th) > 0.0
    }
}
