//! Parameters (`parametertype`): random or constant values made by `CreateParameter` from NEST
//! 3's specification dictionaries, used as node status values (`n << /V_m p >> SetStatus`, one
//! draw per node) and as synapse parameters in `Connect` (one draw per connection). They reach the
//! kernel as its distribution dictionaries. Supported: `constant` (`value`), `uniform` (`min`,
//! `max`), `normal` (`mean`, `std`), `lognormal` (`mean`, `std` of the underlying normal),
//! `exponential` (`beta`); `redraw` bounds any of them. Spatial parameters (`distance`,
//! `position`, …) need layers, which nestor does not have.

use crate::bi;
use crate::builtins::nest::to_kdict;
use crate::eval::{Interp, SliErr, R};
use crate::value::{Builtin, Obj, ParamSpec};
use nestor_kernel::{Dict, Value};
use std::rc::Rc;

/// The kernel distribution dictionary (or constant) of a NEST parameter specification
/// `<< /uniform << /min 0. /max 1. >> >>`.
pub fn param_from_spec(spec: &Dict) -> R<ParamSpec> {
    let bad = |m: String| SliErr::new("BadProperty", m);
    if spec.len() != 1 {
        return Err(bad(format!(
            "CreateParameter: the specification must have exactly one entry (the parameter type), got {}",
            spec.len()
        )));
    }
    let Some((kind, args)) = spec.iter().next() else {
        return Err(bad("CreateParameter: empty specification".into()));
    };
    let Value::Dict(args) = args else {
        return Err(SliErr::arg_type(format!("CreateParameter: /{kind} must be given a dictionary of its parameters")));
    };
    let allowed: &[(&str, f64)] = match kind.as_str() {
        "constant" => &[("value", 0.0)],
        "uniform" => &[("min", 0.0), ("max", 1.0)],
        "normal" | "lognormal" => &[("mean", 0.0), ("std", 1.0)],
        "exponential" => &[("beta", 1.0)],
        "distance" | "position" | "spatial_distance" | "gaussian" | "gaussian2d" | "gamma" | "exp_distribution" => {
            return Err(SliErr::new(
                "NotImplemented",
                format!("CreateParameter: the spatial parameter /{kind} needs layers, which nestor does not have"),
            ))
        }
        other => return Err(bad(format!("CreateParameter: unknown parameter type /{other}"))),
    };
    if let Some(k) = args.keys().find(|k| !allowed.iter().any(|(a, _)| a == k)) {
        let names: Vec<&str> = allowed.iter().map(|(a, _)| *a).collect();
        return Err(bad(format!(
            "CreateParameter: /{kind} has no parameter /{k}; its parameters are {}",
            names.join(", ")
        )));
    }
    let mut vals = Vec::new();
    for (name, default) in allowed {
        // A quantity counts in NEST's unit of its dimension (`-70 mV` is -70).
        let x = match args.get(*name) {
            Some(Value::Quantity(q)) => crate::builtins::units::to_canonical(q),
            Some(v) => v.as_f64(name)?,
            None => *default,
        };
        vals.push(x);
    }
    let mut d = Dict::new();
    match kind.as_str() {
        "constant" => return Ok(ParamSpec::Constant(vals[0])),
        "uniform" => {
            if !less(vals[0], vals[1]) {
                return Err(bad(format!(
                    "uniform parameter: max must be larger than min, got min {} and max {}",
                    vals[0], vals[1]
                )));
            }
            d.insert("min".into(), Value::Double(vals[0]));
            d.insert("max".into(), Value::Double(vals[1]));
        }
        "normal" | "lognormal" => {
            if !less(0.0, vals[1]) {
                return Err(bad(format!("{kind} parameter: std must be positive, got {}", vals[1])));
            }
            d.insert("mean".into(), Value::Double(vals[0]));
            d.insert("std".into(), Value::Double(vals[1]));
        }
        _ => {
            if !less(0.0, vals[0]) {
                return Err(bad(format!("exponential parameter: beta must be positive, got {}", vals[0])));
            }
            d.insert("beta".into(), Value::Double(vals[0]));
        }
    }
    d.insert("distribution".into(), Value::Str(kind.clone()));
    Ok(ParamSpec::Random(d))
}

/// a < b, false when either is NaN.
fn less(a: f64, b: f64) -> bool {
    a.partial_cmp(&b) == Some(std::cmp::Ordering::Less)
}

fn param_at(i: &Interp, k: usize) -> R<Rc<ParamSpec>> {
    match i.at(k) {
        Obj::Param(p) => Ok(p.clone()),
        o => Err(SliErr::arg_type(format!("expected a parametertype, got {}", o.type_name()))),
    }
}

fn create_parameter(i: &mut Interp) -> R {
    i.need(1)?;
    let spec = to_kdict(&i.dict_at(0)?)?;
    let p = param_from_spec(&spec)?;
    i.ret(1, Obj::Param(Rc::new(p)))
}

fn redraw(i: &mut Interp) -> R {
    i.need(3)?;
    let p = param_at(i, 2)?;
    let num = |o: &Obj, what: &str| match o {
        Obj::Quantity(q) => Ok(crate::builtins::units::to_canonical(q)),
        o => o
            .as_num()
            .ok_or_else(|| SliErr::arg_type(format!("redraw: {what} must be a number, got {}", o.type_name()))),
    };
    let (lo, hi) = (num(i.at(1), "min")?, num(i.at(0), "max")?);
    if !less(lo, hi) {
        return Err(SliErr::new(
            "BadProperty",
            format!("redraw: max must be larger than min, got min {lo} and max {hi}"),
        ));
    }
    let q = match &*p {
        ParamSpec::Constant(x) if (lo..=hi).contains(x) => ParamSpec::Constant(*x),
        ParamSpec::Constant(x) => {
            return Err(SliErr::new(
                "KernelException",
                format!("redraw: the constant {x} lies outside [{lo}, {hi}]; redrawing cannot change it"),
            ))
        }
        ParamSpec::Random(d) => {
            let mut d = d.clone();
            d.insert("redraw_min".into(), Value::Double(lo));
            d.insert("redraw_max".into(), Value::Double(hi));
            ParamSpec::Random(d)
        }
    };
    i.ret(3, Obj::Param(Rc::new(q)))
}

fn get_value(i: &mut Interp) -> R {
    i.need(1)?;
    let p = param_at(i, 0)?;
    let x = match &*p {
        ParamSpec::Constant(x) => *x,
        ParamSpec::Random(d) => i.kernel.draw_value(d)?,
    };
    i.ret(1, Obj::Double(x))
}

/// Parameter commands.
pub static BUILTINS: &[Builtin] = &[
    bi!(
        "CreateParameter",
        create_parameter,
        "dict CreateParameter -> parameter",
        "/p << /uniform << /min -70. /max -55. >> >> CreateParameter def  n << /V_m p >> SetStatus",
        "redraw, GetValue, SetStatus, Connect"
    ),
    bi!(
        "redraw",
        redraw,
        "parameter min max redraw -> parameter",
        "<< /normal << /mean 0. /std 1. >> >> CreateParameter -1. 1. redraw",
        "CreateParameter"
    ),
    bi!(
        "GetValue",
        get_value,
        "parameter GetValue -> double",
        "<< /uniform << /min 0. /max 1. >> >> CreateParameter GetValue",
        "CreateParameter"
    ),
];
