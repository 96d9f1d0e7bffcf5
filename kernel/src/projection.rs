//! BrainPy-style projections, generic over models: a projection asks the postsynaptic
//! population for a receptor described by a dictionary (synapse kinetics + output) and/or the
//! presynaptic population for an output port (per-neuron synapse state), then connects with
//! brainpy's connectivity. Which kinetics and outputs exist is the models' business
//! (`nestor_models::brainpy`); this module only wires them (used by the Rust facade and SLI).
//!
//! Timing: brainpy's projections see the spikes of the previous step, a nestor delay of one
//! resolution step; an extra brainpy delay `D` (`Comm::with_delay`) becomes `dt + D`. Weights are
//! numbers in the receptor's unit (mS for COBA/MgBlock and for CUBA with its default scale of 1 V,
//! mV for delta projections, dimensionless factors of the presynaptic `g` for align-pre) or
//! quantities, checked against that unit when connecting.

use crate::error::{Error, Result};
use crate::nodes::NodeCollection;
use crate::spec::{ConnSpec, ParamValue, Rule, SynSpec};
use crate::units::{Quantity, Unit};
use crate::value::{Dict, Value};
use crate::Kernel;

/// brainpy's connectivity (its `comm` modules).
#[derive(Debug, Clone, PartialEq)]
pub enum Conn {
    /// `EventFixedProb(conn_num=p)` with `p` a probability: each presynaptic neuron gets
    /// `floor(n_post · p)` targets drawn uniformly with replacement (brainpy's default).
    FixedProb(f64),
    /// `EventFixedProb(conn_num=k)` with `k` a count.
    FixedNum(usize),
    /// `AllToAll` (with `include_self`).
    AllToAll {
        /// Keep i → i pairs when pre and post are the same population.
        include_self: bool,
    },
    /// `OneToOne`.
    OneToOne,
    /// Explicit pairs (sparse): local pre index, local post index; weights per pair.
    Pairs(Vec<(usize, usize)>),
}

/// A connectivity with its weights and extra delay.
#[derive(Debug, Clone, PartialEq)]
pub struct Comm {
    /// Who connects to whom.
    pub conn: Conn,
    /// Weights: one value (number in the receptor's unit or a quantity) or one per connection.
    pub weight: ParamValue,
    /// Delay beyond brainpy's one-step projection delay, ms.
    pub delay: f64,
}

impl Comm {
    /// Fixed connection probability `p` with homogeneous weight `w`.
    pub fn fixed_prob(p: f64, w: f64) -> Self {
        Comm { conn: Conn::FixedProb(p), weight: ParamValue::Scalar(w), delay: 0.0 }
    }
    /// Fixed number of targets per presynaptic neuron.
    pub fn fixed_num(k: usize, w: f64) -> Self {
        Comm { conn: Conn::FixedNum(k), weight: ParamValue::Scalar(w), delay: 0.0 }
    }
    /// All-to-all.
    pub fn all_to_all(w: f64, include_self: bool) -> Self {
        Comm { conn: Conn::AllToAll { include_self }, weight: ParamValue::Scalar(w), delay: 0.0 }
    }
    /// One-to-one.
    pub fn one_to_one(w: f64) -> Self {
        Comm { conn: Conn::OneToOne, weight: ParamValue::Scalar(w), delay: 0.0 }
    }
    /// A dense weight matrix `w[pre][post]` (zero entries are not connected).
    pub fn dense(w: &[Vec<f64>]) -> Self {
        let mut pairs = Vec::new();
        let mut ws = Vec::new();
        for (i, row) in w.iter().enumerate() {
            for (j, &x) in row.iter().enumerate() {
                if x != 0.0 {
                    pairs.push((i, j));
                    ws.push(x);
                }
            }
        }
        Comm { conn: Conn::Pairs(pairs), weight: ParamValue::Array(ws), delay: 0.0 }
    }
    /// Sparse explicit pairs with one weight each.
    pub fn sparse(pairs: Vec<(usize, usize)>, weights: Vec<f64>) -> Self {
        Comm { conn: Conn::Pairs(pairs), weight: ParamValue::Array(weights), delay: 0.0 }
    }
    /// With a weight carrying a unit (checked against the receptor).
    pub fn with_weight_quantity(mut self, q: impl Into<Quantity>) -> Self {
        self.weight = ParamValue::Quantity(q.into());
        self
    }
    /// With an extra (axonal) delay in ms.
    pub fn with_delay(mut self, d: f64) -> Self {
        self.delay = d;
        self
    }
}

impl Comm {
    /// Parses an SLI/dictionary comm: `<< /rule /fixed_prob /p 0.02 /weight 0.6 mS >>`; rules
    /// `fixed_prob` (`p`), `fixed_num` (`n`), `all_to_all` (`include_self`, default true),
    /// `one_to_one`, `pairs` (`pre`, `post`: local indices); `weight` a number, quantity or
    /// array; `delay` an extra delay in ms.
    pub fn from_dict(d: &Dict) -> Result<Comm> {
        let rule = d.get("rule").map(|v| v.as_str("rule")).transpose()?.unwrap_or("all_to_all");
        let allowed: &[&str] = match rule {
            "fixed_prob" => &["rule", "p", "weight", "delay"],
            "fixed_num" => &["rule", "n", "weight", "delay"],
            "all_to_all" => &["rule", "include_self", "weight", "delay"],
            "one_to_one" => &["rule", "weight", "delay"],
            "pairs" => &["rule", "pre", "post", "weight", "delay"],
            other => {
                return Err(Error::bad_property(format!(
                    "comm: unknown rule '{other}' (expected fixed_prob, fixed_num, all_to_all, one_to_one or pairs)"
                )))
            }
        };
        for k in d.keys() {
            if !allowed.contains(&k.as_str()) {
                return Err(Error::bad_property(format!(
                    "comm /{rule}: unknown entry '{k}' (expected {})",
                    allowed.join(", ")
                )));
            }
        }
        let conn = match rule {
            "fixed_prob" => Conn::FixedProb(
                d.get("p").ok_or_else(|| Error::bad_property("comm /fixed_prob needs /p"))?.as_f64("p")?,
            ),
            "fixed_num" => {
                let n = d.get("n").ok_or_else(|| Error::bad_property("comm /fixed_num needs /n"))?.as_i64("n")?;
                Conn::FixedNum(
                    usize::try_from(n)
                        .map_err(|_| Error::bad_property(format!("comm /fixed_num: n must be >= 0, got {n}")))?,
                )
            }
            "all_to_all" => Conn::AllToAll {
                include_self: d.get("include_self").map(|v| v.as_bool("include_self")).transpose()?.unwrap_or(true),
            },
            "one_to_one" => Conn::OneToOne,
            _ => {
                let idx = |k: &str| -> Result<Vec<usize>> {
                    d.get(k)
                        .ok_or_else(|| Error::bad_property(format!("comm /pairs needs /{k}")))?
                        .as_i64_vec(k)?
                        .into_iter()
                        .map(|x| {
                            usize::try_from(x)
                                .map_err(|_| Error::bad_property(format!("comm /pairs: negative index {x} in /{k}")))
                        })
                        .collect()
                };
                let (a, b) = (idx("pre")?, idx("post")?);
                if a.len() != b.len() {
                    return Err(Error::bad_property(format!(
                        "comm /pairs: /pre has {} entries, /post {}",
                        a.len(),
                        b.len()
                    )));
                }
                Conn::Pairs(a.into_iter().zip(b).collect())
            }
        };
        let weight = match d.get("weight") {
            None => ParamValue::Scalar(1.0),
            Some(Value::Quantity(q)) => ParamValue::Quantity(*q),
            Some(v) => ParamValue::from_value(v, Unit::Dimensionless, "weight")?,
        };
        let delay = d.get("delay").map(|v| v.as_f64_in(Unit::Millisecond, "delay")).transpose()?.unwrap_or(0.0);
        if !(delay >= 0.0) {
            return Err(Error::bad_property(format!("comm: delay must be >= 0 ms, got {delay}")));
        }
        Ok(Comm { conn, weight, delay })
    }
}

/// A component description (`Expon.desc(tau=5 ms)`): a model name and parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct Desc(pub Dict);

/// A description with a model name and parameters.
pub fn desc(model: &str, params: &[(&str, Value)]) -> Desc {
    let mut d = Dict::new();
    d.insert("model".into(), Value::Str(model.into()));
    for (k, v) in params {
        d.insert((*k).into(), v.clone());
    }
    Desc(d)
}

/// Connects `pre` to `post` on `receptor` with `comm`'s rule, weights and delay.
pub fn connect_comm(
    k: &mut Kernel,
    pre: &NodeCollection,
    post: &NodeCollection,
    comm: &Comm,
    receptor: i64,
) -> Result<()> {
    let delay = k.resolution() + comm.delay;
    let mut syn = SynSpec::new().delay(delay);
    syn.weight = Some(comm.weight.clone());
    syn.receptor_type = Some(receptor);
    let spec = match &comm.conn {
        Conn::FixedProb(p) => {
            if !(0.0..=1.0).contains(p) {
                return Err(Error::bad_parameter(format!("connection probability must be in [0, 1], got {p}")));
            }
            // brainpy: conn_num = int(n_post * p)
            ConnSpec::new(Rule::FixedOutdegree((post.len() as f64 * p) as usize))
        }
        Conn::FixedNum(n) => ConnSpec::new(Rule::FixedOutdegree(*n)),
        Conn::AllToAll { include_self } => {
            let mut c = ConnSpec::new(Rule::AllToAll);
            c.allow_autapses = *include_self;
            c
        }
        Conn::OneToOne => ConnSpec::new(Rule::OneToOne),
        Conn::Pairs(pairs) => {
            let (mut s, mut t) = (Vec::with_capacity(pairs.len()), Vec::with_capacity(pairs.len()));
            for &(i, j) in pairs {
                s.push(pre.get(i)?);
                t.push(post.get(j)?);
            }
            if let ParamValue::Array(w) = &comm.weight {
                if w.len() != pairs.len() {
                    return Err(Error::bad_parameter(format!(
                        "{} pairs but {} weights: give one weight per connection",
                        pairs.len(),
                        w.len()
                    )));
                }
            }
            let (s, t) = (NodeCollection::from_ids(&s), NodeCollection::from_ids(&t));
            return k.connect(&s, &t, &ConnSpec::new(Rule::OneToOne), &syn);
        }
    };
    if matches!(spec.rule, Rule::FixedOutdegree(0)) {
        return Ok(());
    }
    k.connect(pre, post, &spec, &syn)
}

fn receptor_spec(syn: Option<&Desc>, out: &Desc) -> Dict {
    let mut d = Dict::new();
    if let Some(s) = syn {
        d.insert("synapse".into(), Value::Dict(s.0.clone()));
    }
    d.insert("output".into(), Value::Dict(out.0.clone()));
    d
}

/// `AlignPostProj(comm, syn, out, post)`: returns the receptor it uses on `post`.
pub fn align_post_proj(
    k: &mut Kernel,
    pre: &NodeCollection,
    post: &NodeCollection,
    comm: &Comm,
    syn: &Desc,
    out: &Desc,
) -> Result<i64> {
    let r = k.add_receptor(post, &receptor_spec(Some(syn), out))?;
    connect_comm(k, pre, post, comm, r)?;
    Ok(r)
}

/// `align_pre_projection(pre, stp, syn, comm, out, post)`: returns the ids that carry the
/// presynaptic synapse values (one per presynaptic neuron).
pub fn align_pre_proj(
    k: &mut Kernel,
    pre: &NodeCollection,
    post: &NodeCollection,
    stp: Option<&Desc>,
    syn: &Desc,
    comm: &Comm,
    out: &Desc,
) -> Result<NodeCollection> {
    let mut port = Dict::new();
    port.insert("synapse".into(), Value::Dict(syn.0.clone()));
    if let Some(s) = stp {
        port.insert("stp".into(), Value::Dict(s.0.clone()));
    }
    if pre.is_empty() {
        return Err(Error::bad_parameter("align_pre_proj: empty presynaptic collection"));
    }
    let r = k.add_receptor(post, &receptor_spec(None, out))?;
    // The state lives on the whole presynaptic population; the projection uses the ids of `pre`.
    let values = port_ids(k, pre, &port, "align_pre_proj")?;
    // The port's values already include this step's spikes (computed at the end of the
    // presynaptic update), so the one-step delay gives brainpy's timing.
    connect_comm(k, &values, post, comm, r)?;
    Ok(values)
}

/// `CurrentProj(pre.prefetch(name), comm, out, post)`: every step each presynaptic neuron sends
/// its variable `prefetch` (a state such as `V`, as it is at the start of the step); the
/// postsynaptic neuron receives `Σ w·value` and applies `out` to it (CUBA: a current
/// `scale·Σ w·value`; COBA: a conductance). The weight unit follows from the variable's unit,
/// the output and the postsynaptic current unit (e.g. V in mV through CUBA into a mA model:
/// mS). Returns the receptor used on `post`.
pub fn current_proj(
    k: &mut Kernel,
    pre: &NodeCollection,
    post: &NodeCollection,
    prefetch: &str,
    comm: &Comm,
    out: &Desc,
) -> Result<i64> {
    let first = pre.first().ok_or_else(|| Error::bad_parameter("CurrentProj: empty presynaptic collection"))?;
    let unit = k.unit_of(first, prefetch)?.ok_or_else(|| {
        Error::bad_property(format!(
            "CurrentProj: {} (node {first}) has no variable '{prefetch}' to prefetch",
            k.model_of(first).unwrap_or("the presynaptic model")
        ))
    })?;
    let mut rspec = receptor_spec(None, out);
    rspec.insert("value_unit".into(), Value::Str(unit.symbol().into()));
    let mut pspec = Dict::new();
    pspec.insert("source".into(), Value::Str(prefetch.into()));
    // The variable exists (checked above), so the port cannot be refused once the receptor is
    // added: nothing is left half-connected.
    let r = k.add_receptor(post, &rspec)?;
    let values = port_ids(k, pre, &pspec, "CurrentProj")?;
    connect_comm(k, &values, post, comm, r)?;
    Ok(r)
}

/// `DeltaProj(comm, post)`: spikes add `Σ w` to the postsynaptic membrane potential.
pub fn delta_proj(k: &mut Kernel, pre: &NodeCollection, post: &NodeCollection, comm: &Comm) -> Result<()> {
    connect_comm(k, pre, post, comm, 1)
}

/// Maps ids of `nodes` (all in the population of its first id) to the ids of an output port
/// added to that population with `spec`.
fn port_ids(k: &mut Kernel, nodes: &NodeCollection, spec: &Dict, what: &str) -> Result<NodeCollection> {
    let first = nodes.first().ok_or_else(|| Error::bad_parameter(format!("{what}: empty node collection")))?;
    let whole = k.population_of(first)?;
    let all = k.add_output_port(&whole, spec)?;
    let (base, wfirst) = (all.first().unwrap_or(0), whole.first().unwrap_or(first));
    let mut ids = Vec::with_capacity(nodes.len());
    for g in nodes.iter() {
        if !whole.contains(g) {
            return Err(Error::bad_parameter(format!(
                "{what}: the nodes must belong to one population; node {g} is outside {wfirst}..{}",
                wfirst as usize + whole.len() - 1
            )));
        }
        ids.push(base + (g - wfirst));
    }
    Ok(NodeCollection::from_ids(&ids))
}

/// The explicit (pre, post) local index pairs of a deterministic connectivity.
fn pairs_of(conn: &Conn, npre: usize, npost: usize) -> Result<Vec<(usize, usize)>> {
    Ok(match conn {
        Conn::Pairs(p) => p.clone(),
        Conn::OneToOne if npre == npost => (0..npre).map(|i| (i, i)).collect(),
        Conn::OneToOne => {
            return Err(Error::bad_property(format!(
                "one_to_one connect needs sources and targets of equal size, got {npre} and {npost}"
            )))
        }
        Conn::AllToAll { include_self } => {
            (0..npre).flat_map(|i| (0..npost).map(move |j| (i, j))).filter(|&(i, j)| *include_self || i != j).collect()
        }
        _ => {
            return Err(Error::bad_property(
                "gap junctions couple fixed pairs: use the rules pairs, one_to_one or all_to_all",
            ))
        }
    })
}

/// Couples the potentials of `pre` and `post` (brainpy's `SymmetryGapJunction` when
/// `back_weight` is `None`, `AsymmetryGapJunction` otherwise): for every pair (i, j) with weight
/// w, post j receives w·(V_i − V_j) and pre i receives w'·(V_j − V_i), with the potentials at
/// the start of the step (w' = w, or the back weights). Weights are conductances (mS for the
/// mA-based neurons).
pub fn gap_junction(
    k: &mut Kernel,
    pre: &NodeCollection,
    post: &NodeCollection,
    comm: &Comm,
    back_weight: Option<&ParamValue>,
) -> Result<()> {
    let pairs = pairs_of(&comm.conn, pre.len(), post.len())?;
    let mut dir = |a: &NodeCollection, b: &NodeCollection, pairs: &[(usize, usize)], w: &ParamValue| -> Result<()> {
        let mut vspec = Dict::new();
        vspec.insert("source".into(), Value::Str("V".into()));
        let mut ospec = Dict::new();
        ospec.insert("source".into(), Value::Str("one".into()));
        let mut gv = Dict::new();
        gv.insert("gap".into(), Value::Str("value".into()));
        let mut gw = Dict::new();
        gw.insert("gap".into(), Value::Str("weight".into()));
        let rv = k.add_receptor(b, &gv)?;
        let rw = k.add_receptor(b, &gw)?;
        let pv = port_ids(k, a, &vspec, "gap_junction")?;
        let p1 = port_ids(k, a, &ospec, "gap_junction")?;
        let c = Comm { conn: Conn::Pairs(pairs.to_vec()), weight: w.clone(), delay: comm.delay };
        connect_comm(k, &pv, b, &c, rv)?;
        connect_comm(k, &p1, b, &c, rw)
    };
    dir(pre, post, &pairs, &comm.weight)?;
    let back: Vec<(usize, usize)> = pairs.iter().map(|&(i, j)| (j, i)).collect();
    dir(post, pre, &back, back_weight.unwrap_or(&comm.weight))
}
