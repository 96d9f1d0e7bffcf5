//! # FitzHughNagumo — FitzHugh–Nagumo neuron (brainpy.state `FitzHughNagumo`)
//!
//! τ dV/dt = V − V³/3 − w + I, τ_w dw/dt = V + a − b·w, with w and I (and V in the w
//! equation) taken at the start of the step; dimensionless V, w and I. A spike is the upward
//! crossing of V_th.
//!
//! Parameters (defaults): a = 0.7, b = 0.8, tau = 1 ms, tau_w = 12.5 ms, V_th = 1,
//! I_ext = 0. State: V (−1.2), w (−0.62).
//!
//! Reference: brainpy.state 0.1.0 `FitzHughNagumo`; FitzHugh (1961), Nagumo et al. (1962).

use super::{exp_euler, heaviside, p, Ctx, Dyn, Input};
use nestor_kernel::schema::ParamSpec;
use nestor_kernel::units::Unit;

const A: usize = 0;
const B: usize = 1;
const TAU: usize = 2;
const TAU_W: usize = 3;
const V_TH: usize = 4;
const V: usize = 6;
const W: usize = 7;

/// brainpy.state `FitzHughNagumo`.
pub struct FitzHughNagumo;

static SPECS: [ParamSpec; 8] = [
    ParamSpec::param("a", Unit::Dimensionless, 0.7, "Recovery offset"),
    ParamSpec::param("b", Unit::Dimensionless, 0.8, "Recovery damping"),
    ParamSpec::param("tau", Unit::Millisecond, 1.0, "Time constant of V"),
    ParamSpec::param("tau_w", Unit::Millisecond, 12.5, "Time constant of w"),
    ParamSpec::param("V_th", Unit::Dimensionless, 1.0, "Spike threshold"),
    ParamSpec::param("I_ext", Unit::Dimensionless, 0.0, "Constant external input (brainpy update argument x)"),
    ParamSpec::state("V", Unit::Dimensionless, -1.2, "Membrane variable"),
    ParamSpec::state("w", Unit::Dimensionless, -0.62, "Recovery variable"),
];

impl Dyn for FitzHughNagumo {
    const NAME: &'static str = "FitzHughNagumo";
    const DOC: &'static str = "FitzHugh-Nagumo neuron (brainpy.state)";
    const SPECS: &'static [ParamSpec] = &SPECS;
    const RECORDABLES: &'static [&'static str] = &["V", "w"];
    const V_UNIT: Unit = Unit::Dimensionless;
    const I_UNIT: Unit = Unit::Dimensionless;
    const DELTA_UNIT: Unit = Unit::Dimensionless;

    #[inline(always)]
    fn step(c: &mut [Vec<f64>], i: usize, ctx: &Ctx, inp: &Input<'_>) -> bool {
        let (a, b, tau, tau_w, v_th) = (p(c, A, i), p(c, B, i), p(c, TAU, i), p(c, TAU_W, i), p(c, V_TH, i));
        let (last_v, last_w) = (c[V][i], c[W][i]);
        let (cur, _) = inp.current(last_v);
        let f = (last_v - last_v * last_v * last_v / 3.0 - last_w + cur) / tau;
        let v = exp_euler(last_v, f, (1.0 - last_v * last_v) / tau, ctx.dt);
        let w = exp_euler(last_w, (last_v + a - b * last_w) / tau_w, -b / tau_w, ctx.dt);
        let v = v + inp.delta;
        c[V][i] = v;
        c[W][i] = w;
        heaviside((v - v_th) / v_th) * (1.0 - heaviside((last_v - v_th) / v_th)) > 0.0
    }
}
