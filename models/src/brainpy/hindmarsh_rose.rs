//! # HindmarshRose — Hindmarsh–Rose neuron (brainpy.state `HindmarshRose`)
//!
//! τ dV/dt = y − aV³ + bV² − z + I, τ dy/dt = c − dV² − y, τ dz/dt = r(s(V − V_r) − z), with
//! the other variables and I taken at the start of the step; dimensionless. A spike is the
//! upward crossing of V_th.
//!
//! Parameters (defaults): a = 1, b = 3, c = 1, d = 5, r = 0.006, s = 4, V_r = −1.6,
//! tau = 1 ms, V_th = 1, I_ext = 0. State: V (−1.6), y (−10), z (0).
//!
//! Reference: brainpy.state 0.1.0 `HindmarshRose`; Hindmarsh & Rose (1984).

use super::{exp_euler, heaviside, p, Ctx, Dyn, Input};
use nestor_kernel::schema::ParamSpec;
use nestor_kernel::units::Unit;

const A: usize = 0;
const B: usize = 1;
const C: usize = 2;
const D: usize = 3;
const R: usize = 4;
const S: usize = 5;
const V_R: usize = 6;
const TAU: usize = 7;
const V_TH: usize = 8;
const V: usize = 10;
const Y: usize = 11;
const Z: usize = 12;

/// brainpy.state `HindmarshRose`.
pub struct HindmarshRose;

static SPECS: [ParamSpec; 13] = [
    ParamSpec::param("a", Unit::Dimensionless, 1.0, "Cubic coefficient"),
    ParamSpec::param("b", Unit::Dimensionless, 3.0, "Quadratic coefficient"),
    ParamSpec::param("c", Unit::Dimensionless, 1.0, "Constant of y"),
    ParamSpec::param("d", Unit::Dimensionless, 5.0, "Quadratic coefficient of y"),
    ParamSpec::param("r", Unit::Dimensionless, 0.006, "Time-scale ratio of z"),
    ParamSpec::param("s", Unit::Dimensionless, 4.0, "Adaptation coupling"),
    ParamSpec::param("V_r", Unit::Dimensionless, -1.6, "Resting value of V for z"),
    ParamSpec::param("tau", Unit::Millisecond, 1.0, "Time constant"),
    ParamSpec::param("V_th", Unit::Dimensionless, 1.0, "Spike threshold"),
    ParamSpec::param("I_ext", Unit::Dimensionless, 0.0, "Constant external input (brainpy update argument x)"),
    ParamSpec::state("V", Unit::Dimensionless, -1.6, "Membrane variable"),
    ParamSpec::state("y", Unit::Dimensionless, -10.0, "Spiking variable"),
    ParamSpec::state("z", Unit::Dimensionless, 0.0, "Bursting variable"),
];

impl Dyn for HindmarshRose {
    const NAME: &'static str = "HindmarshRose";
    const DOC: &'static str = "Hindmarsh-Rose neuron (brainpy.state)";
    const SPECS: &'static [ParamSpec] = &SPECS;
    const RECORDABLES: &'static [&'static str] = &["V", "y", "z"];
    const V_UNIT: Unit = Unit::Dimensionless;
    const I_UNIT: Unit = Unit::Dimensionless;
    const DELTA_UNIT: Unit = Unit::Dimensionless;

    #[inline(always)]
    fn step(c: &mut [Vec<f64>], i: usize, ctx: &Ctx, inp: &Input<'_>) -> bool {
        let (a, b, cc, d, r, s) = (p(c, A, i), p(c, B, i), p(c, C, i), p(c, D, i), p(c, R, i), p(c, S, i));
        let (v_r, tau, v_th) = (p(c, V_R, i), p(c, TAU, i), p(c, V_TH, i));
        let (lv, ly, lz) = (c[V][i], c[Y][i], c[Z][i]);
        let (cur, _) = inp.current(lv);
        let f = (ly - a * lv * lv * lv + b * lv * lv - lz + cur) / tau;
        let v = exp_euler(lv, f, (-3.0 * a * lv * lv + 2.0 * b * lv) / tau, ctx.dt);
        let y = exp_euler(ly, (cc - d * lv * lv - ly) / tau, -1.0 / tau, ctx.dt);
        let z = exp_euler(lz, r * (s * (lv - v_r) - lz) / tau, -r / tau, ctx.dt);
        let v = v + inp.delta;
        c[V][i] = v;
        c[Y][i] = y;
        c[Z][i] = z;
        heaviside((v - v_th) / v_th) * (1.0 - heaviside((lv - v_th) / v_th)) > 0.0
    }
}
