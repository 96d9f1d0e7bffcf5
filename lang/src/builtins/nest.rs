//! NEST commands: nodes, connections, status dictionaries, simulation. These reach the kernel
//! only through `nestor_kernel::Kernel`'s public API.

use crate::bi;
use crate::builtins::dicts::get_plain;
use crate::eval::{Interp, SliErr, R};
use crate::value::{Builtin, DictRef, Obj, Sym};
use nestor_kernel::{ConnFilter, ConnSpec, ConnectionInfo, Dict, NodeCollection, Rule, SynSpec, Value};
use std::rc::Rc;

/// Keys whose string values are names (literals) in SLI.
const LITERAL_KEYS: &[&str] = &[
    "model",
    "element_type",
    "synapse_model",
    "record_to",
    "record_from",
    "recordables",
    "node_models",
    "synapse_models",
    "recording_backends",
    "rule",
    "origin_model",
];

/// SLI object → kernel value.
pub fn to_value(o: &Obj) -> R<Value> {
    Ok(match o {
        Obj::Int(x) => Value::Int(*x),
        Obj::Double(x) => Value::Double(*x),
        Obj::Bool(b) => Value::Bool(*b),
        Obj::Str(s) => Value::Str(s.to_string()),
        Obj::Literal(s) | Obj::Name(s) => Value::Str(s.name().to_string()),
        Obj::Quantity(q) => Value::Quantity(**q),
        Obj::Array(a) => {
            if !a.is_empty() && a.iter().all(|x| matches!(x, Obj::Int(_))) {
                Value::IntVec(a.iter().map(|x| if let Obj::Int(v) = x { *v } else { 0 }).collect())
            } else if !a.is_empty() && a.iter().all(|x| matches!(x, Obj::Double(_))) {
                Value::DoubleVec(a.iter().map(|x| x.as_num().unwrap_or(0.0)).collect())
            } else {
                Value::Array(a.iter().map(to_value).collect::<R<_>>()?)
            }
        }
        Obj::Dict(d) => Value::Dict(to_kdict(d)?),
        Obj::Nodes(n) => Value::IntVec(n.iter().map(|x| x as i64).collect()),
        Obj::Param(p) => match &**p {
            crate::value::ParamSpec::Constant(x) => Value::Double(*x),
            crate::value::ParamSpec::Random(d) => Value::Dict(d.clone()),
        },
        o => return Err(SliErr::arg_type(format!("a {} cannot be a parameter value", o.type_name()))),
    })
}
/// SLI dictionary → kernel dictionary.
pub fn to_kdict(d: &DictRef) -> R<Dict> {
    let mut out = Dict::new();
    for (k, v) in d.borrow().iter() {
        out.insert(k.name().to_string(), to_value(v)?);
    }
    Ok(out)
}
/// Kernel value → SLI object; `key` decides whether strings are names.
pub fn from_value(key: &str, v: &Value) -> Obj {
    let lit = LITERAL_KEYS.contains(&key);
    match v {
        Value::Bool(b) => Obj::Bool(*b),
        Value::Int(x) => Obj::Int(*x),
        Value::Double(x) => Obj::Double(*x),
        Value::Quantity(q) => Obj::Quantity(Rc::new(*q)),
        Value::Str(s) => {
            if lit {
                Obj::lit(s)
            } else {
                Obj::str(s.clone())
            }
        }
        Value::DoubleVec(x) => Obj::array(x.iter().map(|v| Obj::Double(*v)).collect()),
        Value::IntVec(x) => Obj::array(x.iter().map(|v| Obj::Int(*v)).collect()),
        Value::Array(a) => Obj::array(a.iter().map(|x| from_value(key, x)).collect()),
        Value::Dict(d) => Obj::Dict(from_kdict(d)),
    }
}
/// Kernel dictionary → SLI dictionary.
pub fn from_kdict(d: &Dict) -> DictRef {
    let r = Obj::new_dict();
    {
        let mut m = r.borrow_mut();
        for (k, v) in d {
            m.insert(Sym::new(k), from_value(k, v));
        }
    }
    r
}

/// A node collection from nodes, a node id or an array of ids.
pub fn nodes_of(o: &Obj) -> R<NodeCollection> {
    match o {
        Obj::Nodes(n) => Ok((**n).clone()),
        Obj::Int(x) if *x > 0 => Ok(NodeCollection::from_ids(&[*x as u32])),
        Obj::Array(a) => {
            let ids: Vec<u32> = a
                .iter()
                .map(|x| match x {
                    Obj::Int(v) if *v > 0 => Ok(*v as u32),
                    o => Err(SliErr::arg_type(format!(
                        "node ids must be positive integers, got {}",
                        crate::eval::short(o)
                    ))),
                })
                .collect::<R<_>>()?;
            Ok(NodeCollection::from_ids(&ids))
        }
        o => Err(SliErr::arg_type(format!("expected a NodeCollection, got {}", o.type_name()))),
    }
}
fn is_nodeish(o: &Obj) -> bool {
    matches!(o, Obj::Nodes(_) | Obj::Int(_)) || matches!(o, Obj::Array(a) if a.iter().all(|x| matches!(x, Obj::Int(_))))
}

fn create(i: &mut Interp) -> R {
    i.need(1)?;
    let (n, params, k) = match i.at(0).clone() {
        Obj::Dict(d) => {
            i.need(2)?;
            match i.at(1) {
                Obj::Int(n) => (*n, Some(to_kdict(&d)?), 3),
                _ => (1, Some(to_kdict(&d)?), 2),
            }
        }
        Obj::Int(n) => (n, None, 2),
        _ => (1, None, 1),
    };
    i.need(k)?;
    let model = match i.at(k - 1) {
        Obj::Literal(_) | Obj::Str(_) | Obj::Name(_) => i.at(k - 1).to_plain(),
        o => return Err(SliErr::arg_type(format!("Create: expected a model name, got {}", o.type_name()))),
    };
    if n < 0 {
        return Err(SliErr::range(format!("Create: cannot create {n} nodes")));
    }
    let nc = i.kernel.create(&model, n as usize, params.as_ref())?;
    i.ret(k, Obj::Nodes(Rc::new(nc)))
}

const RULES: &[&str] =
    &["one_to_one", "all_to_all", "fixed_indegree", "fixed_outdegree", "fixed_total_number", "pairwise_bernoulli"];

fn connect(i: &mut Interp) -> R {
    i.need(2)?;
    let n = i.ostack.len();
    let a = |k: usize| if k < n { Some(i.at(k).clone()) } else { None };
    let syn_keys = ["weight", "delay", "receptor_type", "synapse_model", "model"];
    // Recognise the forms from the top of the stack.
    let (conn, syn, used) = match (a(0), a(1), a(2), a(3), a(4)) {
        (Some(Obj::Literal(s)), Some(Obj::Literal(r)), Some(p1), Some(p0), _)
            if is_nodeish(&p1) && is_nodeish(&p0) && RULES.contains(&&*r.name()) =>
        {
            let c = Obj::new_dict();
            c.borrow_mut().insert(Sym::new("rule"), Obj::Literal(r));
            let mut sd = Dict::new();
            sd.insert("synapse_model".into(), Value::Str(s.name().to_string()));
            (Some(c), sd, 4)
        }
        (Some(Obj::Literal(s)), Some(Obj::Dict(c)), Some(p1), Some(p0), _) if is_nodeish(&p1) && is_nodeish(&p0) => {
            let mut sd = Dict::new();
            sd.insert("synapse_model".into(), Value::Str(s.name().to_string()));
            (Some(c), sd, 4)
        }
        (Some(Obj::Dict(s)), Some(Obj::Literal(r)), Some(p1), Some(p0), _)
            if is_nodeish(&p1) && is_nodeish(&p0) && RULES.contains(&&*r.name()) =>
        {
            let c = Obj::new_dict();
            c.borrow_mut().insert(Sym::new("rule"), Obj::Literal(r));
            (Some(c), to_kdict(&s)?, 4)
        }
        (Some(Obj::Dict(s)), Some(Obj::Dict(c)), Some(p1), Some(p0), _) if is_nodeish(&p1) && is_nodeish(&p0) => {
            (Some(c), to_kdict(&s)?, 4)
        }
        (Some(Obj::Dict(c)), Some(p1), Some(p0), _, _) if is_nodeish(&p1) && is_nodeish(&p0) => {
            let is_syn = !c.borrow().contains_key(&Sym::new("rule"))
                && !c.borrow().is_empty()
                && c.borrow().keys().all(|k| syn_keys.contains(&&*k.name()));
            if is_syn {
                (None, to_kdict(&c)?, 3)
            } else {
                (Some(c), Dict::new(), 3)
            }
        }
        (Some(Obj::Literal(s)), Some(d), Some(w), Some(p1), Some(p0))
            if d.as_num().is_some() && w.as_num().is_some() && is_nodeish(&p1) && is_nodeish(&p0) =>
        {
            let mut sd = Dict::new();
            sd.insert("synapse_model".into(), Value::Str(s.name().to_string()));
            sd.insert("weight".into(), to_value(&w)?);
            sd.insert("delay".into(), to_value(&d)?);
            (None, sd, 5)
        }
        (Some(Obj::Literal(s)), Some(p1), Some(p0), _, _) if is_nodeish(&p1) && is_nodeish(&p0) => {
            let name = s.name().to_string();
            if RULES.contains(&name.as_str()) {
                let c = Obj::new_dict();
                c.borrow_mut().insert(Sym::new("rule"), Obj::Literal(s));
                (Some(c), Dict::new(), 3)
            } else {
                let mut sd = Dict::new();
                sd.insert("synapse_model".into(), Value::Str(name));
                (None, sd, 3)
            }
        }
        (Some(d), Some(w), Some(p1), Some(p0), _)
            if (d.as_num().is_some() || matches!(d, Obj::Quantity(_)))
                && (w.as_num().is_some() || matches!(w, Obj::Quantity(_)))
                && is_nodeish(&p1)
                && is_nodeish(&p0) =>
        {
            let mut sd = Dict::new();
            sd.insert("weight".into(), to_value(&w)?);
            sd.insert("delay".into(), to_value(&d)?);
            (None, sd, 4)
        }
        (Some(p1), Some(p0), _, _, _) if is_nodeish(&p1) && is_nodeish(&p0) => (None, Dict::new(), 2),
        _ => {
            let got: Vec<&str> = i.ostack.iter().rev().take(4).map(|o| o.type_name()).collect();
            return Err(SliErr::arg_type(format!(
                "Connect: expected pre post [conn_spec|/rule] [syn_spec|/synapse_model], got (top first) {}",
                got.join(" ")
            )));
        }
    };
    let pre = nodes_of(i.at(used - 1))?;
    let post = nodes_of(i.at(used - 2))?;
    // Like NEST, every form is first normalised to `pre post conn_spec syn_spec`, with the
    // defaults filled in; an error leaves these four on the stack.
    let conn = conn.unwrap_or_else(Obj::new_dict);
    let conn_full = Obj::new_dict();
    conn_full.borrow_mut().insert(Sym::new("rule"), Obj::lit("all_to_all"));
    conn_full.borrow_mut().extend(conn.borrow().iter().map(|(k, v)| (*k, v.clone())));
    let mut syn = syn;
    syn.entry("synapse_model".into()).or_insert_with(|| Value::Str("static_synapse".into()));
    let syn_obj = from_kdict(&syn);
    i.popn(used);
    i.push(Obj::Nodes(Rc::new(pre.clone())));
    i.push(Obj::Nodes(Rc::new(post.clone())));
    i.push(Obj::Dict(conn_full.clone()));
    i.push(Obj::Dict(syn_obj));
    let cs = ConnSpec::from_dict(&to_kdict(&conn_full)?)?;
    let ss = SynSpec::from_dict(&weights_canonical(syn)?)?;
    i.kernel.connect(&pre, &post, &cs, &ss)?;
    i.popn(4);
    Ok(())
}

/// `pre post conn_spec syn_spec Disconnect` (NEST's form: `/rule` one_to_one or all_to_all,
/// `/synapse_model`, defaults one_to_one and static_synapse), or `conns Disconnect` for a
/// connection or an array of them (as PyNEST's `SynapseCollection.disconnect`).
fn disconnect(i: &mut Interp) -> R {
    i.need(1)?;
    let conns: Option<Vec<ConnectionInfo>> = match i.at(0) {
        Obj::Conn(c) => Some(vec![(**c).clone()]),
        Obj::Array(a) if a.iter().all(|x| matches!(x, Obj::Conn(_))) => {
            Some(a.iter().filter_map(|x| if let Obj::Conn(c) = x { Some((**c).clone()) } else { None }).collect())
        }
        _ => None,
    };
    if let Some(conns) = conns {
        i.kernel.disconnect_connections(&conns)?;
        i.popn(1);
        return Ok(());
    }
    i.need(4)?;
    let (Obj::Dict(syn), Obj::Dict(conn)) = (i.at(0).clone(), i.at(1).clone()) else {
        return Err(SliErr::arg_type(format!(
            "Disconnect: expected pre post conn_spec syn_spec (dictionaries) or an array of connections, got (top first) {} {}",
            i.at(0).type_name(),
            i.at(1).type_name()
        )));
    };
    let pre = nodes_of(i.at(3))?;
    let post = nodes_of(i.at(2))?;
    let text = |d: &DictRef, key: &str, default: &str| -> R<String> {
        match d.borrow().get(&Sym::new(key)) {
            None => Ok(default.to_string()),
            Some(Obj::Literal(s)) => Ok(s.name().to_string()),
            Some(Obj::Str(s)) => Ok(s.to_string()),
            Some(o) => Err(SliErr::arg_type(format!("Disconnect: /{key} must be a name, got {}", o.type_name()))),
        }
    };
    let rule = match text(&conn, "rule", "one_to_one")?.as_str() {
        "one_to_one" => Rule::OneToOne,
        "all_to_all" => Rule::AllToAll,
        other => {
            return Err(SliErr::new(
                "NotImplemented",
                format!("Disconnect supports the rules one_to_one and all_to_all, not /{other}"),
            ))
        }
    };
    let model = text(&syn, "synapse_model", "static_synapse")?;
    i.kernel.disconnect(&pre, &post, &rule, &model)?;
    i.popn(4);
    Ok(())
}

/// The kernel does not know which unit a target expects for a weight, so a weight with a unit
/// is converted here to NEST's unit of its dimension (pA, nS or mV); other dimensions are errors.
fn weights_canonical(mut d: Dict) -> R<Dict> {
    // Weight bounds of plastic synapses (Wmax, Wmin) are in the weight's unit too.
    for key in ["weight", "Wmax", "Wmin"] {
        if let Some(Value::Quantity(q)) = d.get(key) {
            let ok =
                [nestor_kernel::Unit::PicoAmpere, nestor_kernel::Unit::NanoSiemens, nestor_kernel::Unit::MilliVolt]
                    .iter()
                    .any(|u| u.dim() == q.dim);
            if !ok {
                return Err(SliErr::new(
                    "BadProperty",
                    format!(
                        "{key} {} is a {}; a weight is a current (pA), a conductance (nS) or a voltage (mV)",
                        crate::builtins::units::display_quantity(q),
                        q.dim.name()
                    ),
                ));
            }
            let x = crate::builtins::units::to_canonical(q);
            d.insert(key.into(), Value::Double(x));
        }
    }
    Ok(d)
}

fn conn_status(i: &Interp, c: &ConnectionInfo) -> R<DictRef> {
    Ok(from_kdict(&i.kernel.connection_status(c)?))
}
/// The status dictionary of a node id, one-node collection or connection.
pub fn status_dict_of(i: &mut Interp, o: &Obj) -> R<DictRef> {
    match o {
        Obj::Int(x) if *x > 0 => Ok(from_kdict(&i.kernel.get_status(*x as u32)?)),
        Obj::Nodes(n) => {
            let id = n.first().ok_or_else(|| SliErr::range("empty NodeCollection"))?;
            Ok(from_kdict(&i.kernel.get_status(id)?))
        }
        Obj::Conn(c) => conn_status(i, c),
        o => Err(SliErr::arg_type(format!("no status for {}", o.type_name()))),
    }
}
fn get_status(i: &mut Interp) -> R {
    i.need(1)?;
    let r = match i.at(0).clone() {
        Obj::Nodes(n) => Obj::array(
            n.iter().map(|g| i.kernel.get_status(g).map(|d| Obj::Dict(from_kdict(&d)))).collect::<Result<_, _>>()?,
        ),
        Obj::Int(x) if x > 0 => Obj::Dict(from_kdict(&i.kernel.get_status(x as u32)?)),
        Obj::Conn(c) => Obj::Dict(conn_status(i, &c)?),
        Obj::Array(a) => Obj::array(
            a.iter()
                .map(|o| match o {
                    Obj::Conn(c) => conn_status(i, c).map(Obj::Dict),
                    Obj::Int(x) if *x > 0 => Ok(Obj::Dict(from_kdict(&i.kernel.get_status(*x as u32)?))),
                    o => Err(SliErr::arg_type(format!("GetStatus: cannot get the status of {}", o.type_name()))),
                })
                .collect::<R<_>>()?,
        ),
        o => return Err(SliErr::arg_type(format!("GetStatus: expected nodes or connections, got {}", o.type_name()))),
    };
    i.ret(1, r)
}
/// `get` on nodes/node ids/connections with a key or key path.
pub fn get_status_key(i: &mut Interp, c: &Obj, k: &Obj) -> R<Obj> {
    let pick = |d: DictRef| get_plain(&Obj::Dict(d), k);
    match c {
        Obj::Nodes(n) if n.len() != 1 => {
            let ids = n.to_vec();
            Ok(Obj::array(ids.iter().map(|&g| pick(from_kdict(&i.kernel.get_status(g)?))).collect::<R<_>>()?))
        }
        Obj::Array(a) => Ok(Obj::array(
            a.iter()
                .map(|o| match o {
                    Obj::Conn(cc) => pick(conn_status(i, cc)?),
                    _ => Err(SliErr::arg_type("get: expected connections")),
                })
                .collect::<R<_>>()?,
        )),
        c => {
            let d = status_dict_of(i, c)?;
            pick(d)
        }
    }
}
fn dicts_arg(o: &Obj) -> R<Vec<Dict>> {
    match o {
        Obj::Dict(d) => Ok(vec![weights_canonical(to_kdict(d)?)?]),
        Obj::Array(a) => a
            .iter()
            .map(|x| match x {
                Obj::Dict(d) => weights_canonical(to_kdict(d)?),
                o => Err(SliErr::arg_type(format!("SetStatus: expected dictionaries, got {}", o.type_name()))),
            })
            .collect(),
        o => Err(SliErr::arg_type(format!("SetStatus: expected a dictionary, got {}", o.type_name()))),
    }
}
fn set_status(i: &mut Interp) -> R {
    i.need(2)?;
    let dicts = dicts_arg(i.at(0))?;
    match i.at(1).clone() {
        Obj::Conn(c) => i.kernel.set_connection_status(&c, &dicts[0])?,
        Obj::Array(a) if a.iter().all(|x| matches!(x, Obj::Conn(_))) && !a.is_empty() => {
            if dicts.len() != 1 && dicts.len() != a.len() {
                return Err(SliErr::range(format!(
                    "SetStatus: {} dictionaries for {} connections",
                    dicts.len(),
                    a.len()
                )));
            }
            for (k, c) in a.iter().enumerate() {
                if let Obj::Conn(c) = c {
                    i.kernel.set_connection_status(c, &dicts[if dicts.len() == 1 { 0 } else { k }])?;
                }
            }
        }
        t => {
            let nodes = nodes_of(&t)?;
            if i.kernel.dict_miss_is_error() {
                i.kernel.set_status_all(&nodes, &dicts)?;
            } else {
                let (dicts, unread) = read_node_entries(i, &nodes, &dicts)?;
                i.kernel.set_status_all(&nodes, &dicts)?;
                warn_unread(i, "SetStatus", &unread);
            }
        }
    }
    i.popn(2);
    Ok(())
}
/// With `dict_miss_is_error` false (NEST's kernel setting), the entries of `dicts` that a node
/// does not have (not in its status) are left out, as NEST leaves them unread; returns the
/// dictionaries to apply (one per node when nodes differ) and the names left out.
fn read_node_entries(i: &Interp, nodes: &NodeCollection, dicts: &[Dict]) -> R<(Vec<Dict>, Vec<String>)> {
    let mut keys_of: std::collections::HashMap<String, Dict> = std::collections::HashMap::new();
    let mut unread: Vec<String> = Vec::new();
    let mut out = Vec::with_capacity(if dicts.len() == 1 { 1 } else { nodes.len() });
    let mut first_model: Option<String> = None;
    let mut one_model = true;
    for (n, gid) in nodes.iter().enumerate() {
        let model = i.kernel.model_of(gid)?.to_string();
        if !keys_of.contains_key(&model) {
            keys_of.insert(model.clone(), i.kernel.get_status(gid)?);
        }
        match &first_model {
            None => first_model = Some(model.clone()),
            Some(m) => one_model &= *m == model,
        }
        if dicts.len() != 1 {
            out.push(read_entries(&dicts[n], &keys_of[&model], &mut unread));
        }
    }
    if dicts.len() == 1 {
        let d = &dicts[0];
        if one_model {
            let status = first_model.as_ref().map(|m| &keys_of[m]);
            out.push(status.map_or_else(|| d.clone(), |st| read_entries(d, st, &mut unread)));
        } else {
            for gid in nodes.iter() {
                let model = i.kernel.model_of(gid)?;
                out.push(read_entries(d, &keys_of[model], &mut unread));
            }
        }
    }
    Ok((out, unread))
}
/// The entries of `d` that `status` has; the others' names are added to `unread` once.
fn read_entries(d: &Dict, status: &Dict, unread: &mut Vec<String>) -> Dict {
    let mut out = Dict::new();
    for (k, v) in d {
        if status.contains_key(k) {
            out.insert(k.clone(), v.clone());
        } else if !unread.contains(k) {
            unread.push(k.clone());
        }
    }
    out
}
/// NEST's warning for entries left unread when `dict_miss_is_error` is false.
fn warn_unread(i: &mut Interp, from: &str, unread: &[String]) {
    const M_WARNING: i64 = 20;
    if !unread.is_empty() && M_WARNING >= i.verbosity {
        let names: Vec<String> = unread.iter().map(|k| format!("/{k}")).collect();
        let s = format!("{from} [Warning]: Unread dictionary entries: {}\n", names.join(" "));
        i.eprint(&s);
    }
}
fn model_name(o: &Obj) -> R<String> {
    match o {
        Obj::Literal(s) | Obj::Name(s) => Ok(s.name().to_string()),
        Obj::Str(s) => Ok(s.to_string()),
        o => Err(SliErr::arg_type(format!("expected a model name, got {}", o.type_name()))),
    }
}
fn set_defaults(i: &mut Interp) -> R {
    i.need(2)?;
    let d = weights_canonical(to_kdict(&i.dict_at(0)?)?)?;
    let m = model_name(i.at(1))?;
    if i.kernel.dict_miss_is_error() {
        i.kernel.set_defaults(&m, &d)?;
    } else {
        let mut unread = Vec::new();
        let d = read_entries(&d, &i.kernel.get_defaults(&m)?, &mut unread);
        i.kernel.set_defaults(&m, &d)?;
        warn_unread(i, "SetDefaults", &unread);
    }
    i.popn(2);
    Ok(())
}
fn get_defaults(i: &mut Interp) -> R {
    i.need(1)?;
    let m = model_name(i.at(0))?;
    let d = i.kernel.get_defaults(&m)?;
    i.ret(1, Obj::Dict(from_kdict(&d)))
}
fn copy_model(i: &mut Interp) -> R {
    i.need(2)?;
    let (params, k) = match i.at(0) {
        Obj::Dict(d) => (weights_canonical(to_kdict(d)?)?, 3),
        _ => (Dict::new(), 2),
    };
    i.need(k)?;
    let new = model_name(i.at(k - 2))?;
    let old = model_name(i.at(k - 1))?;
    i.kernel.copy_model(&old, &new, &params)?;
    i.popn(k);
    Ok(())
}
fn kernel_status_dict(i: &Interp) -> DictRef {
    let mut d = i.kernel.kernel_status();
    let r = i.kernel.registry();
    d.insert("node_models".into(), Value::Array(r.models.iter().map(|m| Value::Str(m.name.clone())).collect()));
    d.insert("synapse_models".into(), Value::Array(r.synapses.iter().map(|m| Value::Str(m.name.clone())).collect()));
    from_kdict(&d)
}
fn get_kernel_status(i: &mut Interp) -> R {
    let d = kernel_status_dict(i);
    if let Some(Obj::Literal(k)) = i.ostack.last() {
        // /key GetKernelStatus (NEST 2 style) is not supported; leave the stack alone.
        let _ = k;
    }
    i.push(Obj::Dict(d));
    Ok(())
}
fn set_kernel_status(i: &mut Interp) -> R {
    i.need(1)?;
    let d = to_kdict(&i.dict_at(0)?)?;
    i.kernel.set_kernel_status(&d)?;
    i.popn(1);
    Ok(())
}
/// Simulates `t` ms, with a progress bar on a terminal for long runs.
pub fn simulate_ms(i: &mut Interp, t: f64) -> R {
    let h = i.kernel.resolution();
    if !i.progress || t < 500.0 || !t.is_finite() {
        return Ok(i.kernel.simulate(t)?);
    }
    let steps = (t / h).round() as i64;
    if ((steps as f64) * h - t).abs() > 1e-9 * t {
        return Ok(i.kernel.simulate(t)?);
    }
    let n = 100.min(steps.max(1));
    let pb = indicatif::ProgressBar::new(steps as u64);
    pb.set_style(
        indicatif::ProgressStyle::with_template("Simulate {bar:40} {pos}/{len} steps, {elapsed} (eta {eta})")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let mut done = 0i64;
    let mut res = Ok(());
    for c in 0..n {
        let upto = steps * (c + 1) / n;
        let s = upto - done;
        if s == 0 {
            continue;
        }
        if let Err(e) = i.kernel.simulate(s as f64 * h) {
            res = Err(e.into());
            break;
        }
        done = upto;
        pb.set_position(done as u64);
    }
    pb.finish_and_clear();
    res
}
fn simulate(i: &mut Interp) -> R {
    i.need(1)?;
    let t = match i.at(0) {
        Obj::Quantity(q) => nestor_kernel::Unit::Millisecond.convert(q, "Simulate time")?,
        o => o
            .as_num()
            .ok_or_else(|| SliErr::arg_type(format!("Simulate: expected a time in ms, got {}", o.type_name())))?,
    };
    simulate_ms(i, t)?;
    i.popn(1);
    Ok(())
}
fn reset_kernel(i: &mut Interp) -> R {
    i.kernel.reset()?;
    if !i.kernel_overrides.is_empty() {
        let o = i.kernel_overrides.clone();
        i.kernel.set_kernel_status(&o)?;
    }
    Ok(())
}
fn get_connections(i: &mut Interp) -> R {
    i.need(1)?;
    let d = i.dict_at(0)?;
    let mut f = ConnFilter::default();
    for (k, v) in d.borrow().iter() {
        match &*k.name() {
            "source" => f.source = Some(nodes_of(v)?),
            "target" => f.target = Some(nodes_of(v)?),
            "synapse_model" => f.synapse_model = Some(model_name(v)?),
            other => {
                return Err(SliErr::new(
                    "BadProperty",
                    format!("GetConnections: unknown key /{other} (known: source, target, synapse_model)"),
                ))
            }
        }
    }
    let c = i.kernel.get_connections(&f)?;
    i.ret(1, Obj::array(c.into_iter().map(|x| Obj::Conn(Rc::new(x))).collect()))
}
fn prepare(i: &mut Interp) -> R {
    Ok(i.kernel.begin_runs()?)
}
fn cleanup(i: &mut Interp) -> R {
    Ok(i.kernel.end_runs()?)
}
fn run_sim(i: &mut Interp) -> R {
    simulate(i)
}
fn models_dict(i: &mut Interp, synapses: bool) -> R {
    let d = Obj::new_dict();
    {
        let r = i.kernel.registry();
        let mut m = d.borrow_mut();
        if synapses {
            for s in &r.synapses {
                m.insert(Sym::new(&s.name), Obj::lit(&s.name));
            }
        } else {
            for s in &r.models {
                m.insert(Sym::new(&s.name), Obj::lit(&s.name));
            }
        }
    }
    i.push(Obj::Dict(d));
    Ok(())
}
fn modeldict(i: &mut Interp) -> R {
    models_dict(i, false)
}
fn synapsedict(i: &mut Interp) -> R {
    models_dict(i, true)
}
fn get_nodes(i: &mut Interp) -> R {
    // << >> bool GetNodes -> all nodes (filters by model only)
    let mut k = 0;
    if matches!(i.ostack.last(), Some(Obj::Bool(_))) {
        k = 1;
    }
    let mut model = None;
    if i.ostack.len() > k {
        if let Obj::Dict(d) = i.at(k) {
            if let Some(m) = d.borrow().get(&Sym::new("model")) {
                model = Some(model_name(m)?);
            }
            k += 1;
        }
    }
    let all = i.kernel.all_nodes();
    let ids: Vec<u32> = match model {
        Some(m) => all.iter().filter(|&g| i.kernel.model_of(g).is_ok_and(|x| x == m)).collect(),
        None => all.to_vec(),
    };
    i.popn(k);
    i.push(Obj::Nodes(Rc::new(NodeCollection::from_ids(&ids))));
    Ok(())
}
fn cvnodecollection(i: &mut Interp) -> R {
    i.need(1)?;
    if let (Some(Obj::Int(b)), true) = (i.ostack.last().cloned(), i.ostack.len() >= 2) {
        if let Obj::Int(a) = i.at(1) {
            if *a > 0 && b >= *a {
                let nc = NodeCollection::range(*a as u32, (b - a + 1) as usize);
                return i.ret(2, Obj::Nodes(Rc::new(nc)));
            }
        }
    }
    let n = nodes_of(i.at(0))?;
    i.ret(1, Obj::Nodes(Rc::new(n)))
}
fn in_collection(i: &mut Interp) -> R {
    i.need(2)?;
    let id = i.int_at(0)?;
    let n = nodes_of(i.at(1))?;
    i.ret(2, Obj::Bool(id > 0 && n.contains(id as u32)))
}
fn find(i: &mut Interp) -> R {
    i.need(2)?;
    let id = i.int_at(0)?;
    let n = nodes_of(i.at(1))?;
    let p = n.iter().position(|g| g as i64 == id).map_or(-1, |p| p as i64);
    i.ret(2, Obj::Int(p))
}
fn rank(i: &mut Interp) -> R {
    i.push(Obj::Int(0));
    Ok(())
}
fn num_processes(i: &mut Interp) -> R {
    i.push(Obj::Int(1));
    Ok(())
}
fn is_threaded(i: &mut Interp) -> R {
    i.push(Obj::Bool(true));
    Ok(())
}
fn exit_test_gracefully(i: &mut Interp) -> R {
    i.need(1)?;
    let s = i.sym_at(0)?;
    let codes = match i.statusdict.borrow().get(&Sym::new("exitcodes")) {
        Some(Obj::Dict(d)) => d.clone(),
        _ => return Err(SliErr::new("UndefinedName", "statusdict/exitcodes is missing")),
    };
    let code = match codes.borrow().get(&s) {
        Some(Obj::Int(c)) => *c,
        _ => return Err(SliErr::new("UndefinedName", format!("no exit code named /{s}"))),
    };
    i.popn(1);
    Err(SliErr::new("\u{0}quit", code.to_string()))
}

/// statusdict contents and other constants.
pub fn define_constants(i: &mut Interp) {
    let codes = Obj::new_dict();
    for (n, c) in [
        ("success", 0),
        ("skipped", 200),
        ("skipped_no_mpi", 201),
        ("skipped_have_mpi", 202),
        ("skipped_no_threading", 203),
        ("skipped_no_gsl", 204),
        ("skipped_no_music", 205),
        ("skipped_no_boost", 206),
        ("scripterror", 126),
        ("abort", 134),
        ("userabort", 15),
        ("segfault", 139),
        ("exception", 125),
        ("fatal", 127),
        ("unknownerror", 10),
    ] {
        codes.borrow_mut().insert(Sym::new(n), Obj::Int(c));
    }
    i.def_sys("true", Obj::Bool(true));
    i.def_sys("false", Obj::Bool(false));
    let mut sd = i.statusdict.borrow_mut();
    sd.insert(Sym::new("exitcodes"), Obj::Dict(codes));
    sd.insert(Sym::new("argv"), Obj::array(vec![Obj::str("nestor")]));
    sd.insert(Sym::new("userargs"), Obj::array(vec![]));
    sd.insert(Sym::new("is_mpi"), Obj::Bool(false));
    sd.insert(Sym::new("have_mpi"), Obj::Bool(false));
    sd.insert(Sym::new("have_gsl"), Obj::Bool(true));
    sd.insert(Sym::new("have_music"), Obj::Bool(false));
    sd.insert(Sym::new("have_libneurosim"), Obj::Bool(false));
    sd.insert(Sym::new("have_hdf5"), Obj::Bool(true));
    sd.insert(Sym::new("have_boost"), Obj::Bool(false));
    sd.insert(Sym::new("threading"), Obj::str("rayon"));
    sd.insert(Sym::new("ndebug"), Obj::Bool(false));
    sd.insert(Sym::new("interactive"), Obj::Bool(false));
    sd.insert(Sym::new("version"), Obj::str(env!("CARGO_PKG_VERSION")));
    sd.insert(Sym::new("prgname"), Obj::str("nestor"));
}

/// NEST commands.
pub static BUILTINS: &[Builtin] = &[
    bi!(
        "Create",
        create,
        "/model [n] [dict] Create -> nodes",
        "/iaf_psc_alpha 10 << /I_e 376.0 pA >> Create",
        "Connect, SetStatus"
    ),
    bi!(
        "Connect",
        connect,
        "pre post [conn_spec|/rule] [syn_spec|/synapse] Connect -> -",
        "n n << /rule /one_to_one >> << /weight 2.0 >> Connect",
        "Create, GetConnections"
    ),
    bi!(
        "Disconnect",
        disconnect,
        "pre post conn_spec syn_spec Disconnect -> - | conns Disconnect -> -",
        "n n << /rule /one_to_one >> << /synapse_model /static_synapse >> Disconnect",
        "Connect, GetConnections"
    ),
    bi!(
        "GetStatus",
        get_status,
        "nodes GetStatus -> [dicts] | id GetStatus -> dict",
        "n GetStatus 0 get /V_m get",
        "SetStatus, get"
    ),
    bi!("SetStatus", set_status, "nodes dict|[dicts] SetStatus -> -", "n << /V_m -60.0 >> SetStatus", "GetStatus"),
    bi!(
        "SetDefaults",
        set_defaults,
        "/model dict SetDefaults -> -",
        "/iaf_psc_alpha << /C_m 200. >> SetDefaults",
        "GetDefaults, CopyModel"
    ),
    bi!(
        "GetDefaults",
        get_defaults,
        "/model GetDefaults -> dict",
        "/iaf_psc_alpha GetDefaults /C_m get",
        "SetDefaults"
    ),
    bi!(
        "CopyModel",
        copy_model,
        "/old /new [dict] CopyModel -> -",
        "/iaf_psc_alpha /my_iaf << /C_m 200. >> CopyModel",
        "SetDefaults"
    ),
    bi!(
        "GetKernelStatus",
        get_kernel_status,
        "GetKernelStatus -> dict",
        "GetKernelStatus /resolution get",
        "SetKernelStatus"
    ),
    bi!(
        "SetKernelStatus",
        set_kernel_status,
        "dict SetKernelStatus -> -",
        "<< /resolution 0.1 >> SetKernelStatus",
        "GetKernelStatus"
    ),
    bi!("Simulate", simulate, "time Simulate -> -", "1000. Simulate", "ResetKernel"),
    bi!("Run", run_sim, "time Run -> -", "Prepare 100. Run Cleanup", "Simulate"),
    bi!("Prepare", prepare, "Prepare -> -", "Prepare 100. Run Cleanup", "Run"),
    bi!("Cleanup", cleanup, "Cleanup -> -", "Prepare 100. Run Cleanup", "Run"),
    bi!("ResetKernel", reset_kernel, "ResetKernel -> -", "ResetKernel", "Simulate"),
    bi!(
        "GetConnections",
        get_connections,
        "<< /source nodes /target nodes /synapse_model /m >> GetConnections -> [conns]",
        "<< >> GetConnections length",
        "Connect, GetStatus"
    ),
    bi!("modeldict", modeldict, "modeldict -> dict", "modeldict /iaf_psc_alpha known", "synapsedict, GetKernelStatus"),
    bi!("synapsedict", synapsedict, "synapsedict -> dict", "synapsedict /static_synapse known", "modeldict"),
    bi!("GetNodes", get_nodes, "[dict] [bool] GetNodes -> nodes", "<< >> false GetNodes", "Create"),
    bi!(
        "cvnodecollection",
        cvnodecollection,
        "[ids] cvnodecollection -> nodes | first last cvnodecollection",
        "[1 2 3] cvnodecollection",
        "cva"
    ),
    bi!("InCollection", in_collection, "nodes id InCollection -> bool", "n 1 InCollection", "Find"),
    bi!("Find", find, "nodes id Find -> index", "n 1 Find -> 0", "InCollection"),
    bi!("Rank", rank, "Rank -> 0 (MPI rank)", "Rank", "NumProcesses"),
    bi!("NumProcesses", num_processes, "NumProcesses -> 1", "NumProcesses", "Rank"),
    bi!("is_threaded", is_threaded, "is_threaded -> bool", "is_threaded", "skip_if_not_threaded"),
    bi!(
        "exit_test_gracefully",
        exit_test_gracefully,
        "/exitcodename exit_test_gracefully -> -",
        "/skipped exit_test_gracefully",
        "skip_if_not_threaded"
    ),
];

fn help(i: &mut Interp) -> R {
    i.need(1)?;
    let n = i.at(0).to_plain();
    let s = crate::repl::help_text(i, &n).unwrap_or_else(|| format!("no help for '{n}'\n"));
    i.popn(1);
    i.print(&s);
    Ok(())
}

/// The `help` operator.
pub static HELP: &[Builtin] =
    &[bi!("help", help, "/name help -> - (prints the doc of an operator or model)", "/add help", "helpdesk")];
