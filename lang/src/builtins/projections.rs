//! BrainPy-style projections from SLI: `AlignPostProj`, `AlignPreProj`, `CurrentProj`,
//! `DeltaProj`, `GapJunction` and `AddReceptor`. They take dictionaries shaped like brainpy.state's arguments and reach the
//! kernel through `nestor_kernel::projection`.
//!
//! ```text
//! E N << /comm << /rule /fixed_prob /p 0.02 /weight 0.6 mS >>
//!        /syn  << /model /Expon /tau 5 ms >>
//!        /out  << /model /COBA /E 0 mV >> >> AlignPostProj   % -> receptor
//! ```

use crate::bi;
use crate::builtins::nest::{nodes_of, to_kdict};
use crate::eval::{Interp, SliErr, R};
use crate::value::{Builtin, Obj};
use nestor_kernel::projection::{self, Comm, Desc};
use nestor_kernel::{Dict, Value};
use std::rc::Rc;

fn spec_args(i: &mut Interp, what: &str) -> R<(nestor_kernel::NodeCollection, nestor_kernel::NodeCollection, Dict)> {
    i.need(3)?;
    let d = match i.at(0) {
        Obj::Dict(d) => to_kdict(d)?,
        o => return Err(SliErr::arg_type(format!("{what}: expected pre post dict, got a {} on top", o.type_name()))),
    };
    let pre = nodes_of(i.at(2))?;
    let post = nodes_of(i.at(1))?;
    Ok((pre, post, d))
}

fn part(d: &Dict, key: &str, what: &str, allowed: &[&str]) -> R<Option<Desc>> {
    for k in d.keys() {
        if !allowed.contains(&k.as_str()) {
            return Err(SliErr::from(nestor_kernel::Error::bad_property(format!(
                "{what}: unknown entry '{k}' (expected {})",
                allowed.join(", ")
            ))));
        }
    }
    match d.get(key) {
        None => Ok(None),
        Some(Value::Dict(x)) => Ok(Some(Desc(x.clone()))),
        Some(o) => Err(SliErr::arg_type(format!("{what}: /{key} must be a dictionary, got {}", o.type_name()))),
    }
}

fn need(x: Option<Desc>, key: &str, what: &str) -> R<Desc> {
    x.ok_or_else(|| SliErr::from(nestor_kernel::Error::bad_property(format!("{what}: the dictionary needs /{key}"))))
}

fn comm_of(d: &Dict, what: &str) -> R<Comm> {
    match d.get("comm") {
        Some(Value::Dict(c)) => Ok(Comm::from_dict(c)?),
        Some(o) => Err(SliErr::arg_type(format!("{what}: /comm must be a dictionary, got {}", o.type_name()))),
        None => Err(SliErr::from(nestor_kernel::Error::bad_property(format!("{what}: the dictionary needs /comm")))),
    }
}

fn align_post(i: &mut Interp) -> R {
    let w = "AlignPostProj";
    let (pre, post, d) = spec_args(i, w)?;
    let keys = ["comm", "syn", "out"];
    let syn = need(part(&d, "syn", w, &keys)?, "syn", w)?;
    let out = need(part(&d, "out", w, &keys)?, "out", w)?;
    let comm = comm_of(&d, w)?;
    let r = projection::align_post_proj(&mut i.kernel, &pre, &post, &comm, &syn, &out)?;
    i.ret(3, Obj::Int(r))
}

fn align_pre(i: &mut Interp) -> R {
    let w = "AlignPreProj";
    let (pre, post, d) = spec_args(i, w)?;
    let keys = ["comm", "syn", "out", "stp"];
    let syn = need(part(&d, "syn", w, &keys)?, "syn", w)?;
    let out = need(part(&d, "out", w, &keys)?, "out", w)?;
    let stp = part(&d, "stp", w, &keys)?;
    let comm = comm_of(&d, w)?;
    let ids = projection::align_pre_proj(&mut i.kernel, &pre, &post, stp.as_ref(), &syn, &comm, &out)?;
    i.ret(3, Obj::Nodes(Rc::new(ids)))
}

fn current(i: &mut Interp) -> R {
    let w = "CurrentProj";
    let (pre, post, d) = spec_args(i, w)?;
    let keys = ["comm", "out", "prefetch"];
    let out = need(part(&d, "out", w, &keys)?, "out", w)?;
    let prefetch = match d.get("prefetch") {
        Some(Value::Str(s)) => s.clone(),
        Some(o) => {
            return Err(SliErr::arg_type(format!("{w}: /prefetch must be a name such as /V, got {}", o.type_name())))
        }
        None => "V".to_string(),
    };
    let comm = comm_of(&d, w)?;
    let r = projection::current_proj(&mut i.kernel, &pre, &post, &prefetch, &comm, &out)?;
    i.ret(3, Obj::Int(r))
}

fn delta(i: &mut Interp) -> R {
    let w = "DeltaProj";
    let (pre, post, d) = spec_args(i, w)?;
    part(&d, "comm", w, &["comm"])?;
    let comm = comm_of(&d, w)?;
    projection::delta_proj(&mut i.kernel, &pre, &post, &comm)?;
    i.popn(3);
    Ok(())
}

fn gap(i: &mut Interp) -> R {
    let w = "GapJunction";
    let (pre, post, d) = spec_args(i, w)?;
    part(&d, "comm", w, &["comm", "back_weight"])?;
    let comm = comm_of(&d, w)?;
    let back = match d.get("back_weight") {
        None => None,
        Some(Value::Quantity(q)) => Some(nestor_kernel::spec::ParamValue::Quantity(*q)),
        Some(v) => {
            Some(nestor_kernel::spec::ParamValue::from_value(v, nestor_kernel::Unit::Dimensionless, "back_weight")?)
        }
    };
    projection::gap_junction(&mut i.kernel, &pre, &post, &comm, back.as_ref())?;
    i.popn(3);
    Ok(())
}

fn add_receptor(i: &mut Interp) -> R {
    i.need(2)?;
    let d = match i.at(0) {
        Obj::Dict(d) => to_kdict(d)?,
        o => return Err(SliErr::arg_type(format!("AddReceptor: expected nodes dict, got a {} on top", o.type_name()))),
    };
    let nodes = nodes_of(i.at(1))?;
    let r = i.kernel.add_receptor(&nodes, &d)?;
    i.ret(2, Obj::Int(r))
}

/// The projection commands.
pub static BUILTINS: &[Builtin] = &[
    bi!(
        "AlignPostProj",
        align_post,
        "pre post << /comm dict /syn dict /out dict >> AlignPostProj -> receptor",
        "E N << /comm << /rule /fixed_prob /p 0.02 /weight 0.6 mS >> /syn << /model /Expon /tau 5 ms >> /out << /model /COBA /E 0 mV >> >> AlignPostProj",
        "AlignPreProj, DeltaProj, AddReceptor"
    ),
    bi!(
        "AlignPreProj",
        align_pre,
        "pre post << /comm dict /syn dict /out dict [/stp dict] >> AlignPreProj -> port_nodes",
        "P N << /comm << /rule /all_to_all /weight 2.0 >> /syn << /model /AMPA >> /stp << /model /STD >> /out << /model /COBA /E 0 mV >> >> AlignPreProj",
        "AlignPostProj"
    ),
    bi!(
        "CurrentProj",
        current,
        "pre post << /comm dict /out dict [/prefetch /V] >> CurrentProj -> receptor",
        "A B << /prefetch /V /comm << /rule /one_to_one /weight 0.1 mS >> /out << /model /CUBA >> >> CurrentProj",
        "AlignPreProj, GapJunction"
    ),
    bi!(
        "DeltaProj",
        delta,
        "pre post << /comm dict >> DeltaProj -> -",
        "P N << /comm << /rule /one_to_one /weight 1 mV >> >> DeltaProj",
        "AlignPostProj"
    ),
    bi!(
        "GapJunction",
        gap,
        "pre post << /comm dict [/back_weight w] >> GapJunction -> -",
        "A B << /comm << /rule /one_to_one /weight 0.1 mS >> >> GapJunction",
        "AlignPostProj"
    ),
    bi!(
        "AddReceptor",
        add_receptor,
        "population << /synapse dict /output dict >> AddReceptor -> receptor",
        "N << /synapse << /model /Expon /tau 5 ms >> /output << /model /COBA /E 0 mV >> >> AddReceptor",
        "AlignPostProj, Connect"
    ),
];
