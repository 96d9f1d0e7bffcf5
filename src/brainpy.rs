//! # BrainPy-style projections on the nestor kernel
//!
//! The Rust surface of the BrainPy family (models in `nestor_models::brainpy`), shaped like
//! brainpy.state's API:
//!
//! ```no_run
//! use nestor::brainpy::{align_post_proj, Comm, Out, Syn};
//! use nestor::prelude::*;
//! let mut k = nestor::kernel();
//! let n = k.create("LIFRef", 4000, None).unwrap();
//! let (e, i) = (n.slice(0, 3200, 1).unwrap(), n.slice(3200, 4000, 1).unwrap());
//! align_post_proj(&mut k, &e, &n, &Comm::fixed_prob(0.02, 0.6), &Syn::expon(5.0), &Out::coba(0.0)).unwrap();
//! align_post_proj(&mut k, &i, &n, &Comm::fixed_prob(0.02, 6.7), &Syn::expon(10.0), &Out::coba(-80.0)).unwrap();
//! ```
//!
//! * [`align_post_proj`] — brainpy's `AlignPostProj(comm, syn, out, post)`: one synapse state per
//!   postsynaptic neuron (linear synapses only); equal (syn, out) pairs onto one population share
//!   the state, as brainpy merges them.
//! * [`align_pre_proj`] — `align_pre_projection(spikes, stp, syn, comm, out, post)`: STP and
//!   synapse state per presynaptic neuron; every step the post neurons receive Σ w·g.
//! * [`delta_proj`] — `DeltaProj(comm, post)`: spikes add Σ w to the postsynaptic V.
//!
//! Timing: brainpy's projections see the spikes of the previous step, a nestor delay of one
//! resolution step; an extra brainpy delay `D` (`Comm::with_delay`) becomes `dt + D`. Weights are
//! numbers in the receptor's unit (mS for COBA/MgBlock and for CUBA with its default scale of 1 V,
//! mV for delta projections, dimensionless factors of the presynaptic `g` for align-pre) or
//! quantities, checked against that unit when connecting.

use nestor_kernel::spec::{ParamValue, Rule};
use nestor_kernel::value::{Dict, Value};
use nestor_kernel::{ConnSpec, Error, Kernel, NodeCollection, Quantity, Result, SynSpec};

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

/// A component description (`Expon.desc(tau=5 ms)`): a model name and parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct Desc(pub Dict);

fn desc(model: &str, params: &[(&str, Value)]) -> Desc {
    let mut d = Dict::new();
    d.insert("model".into(), Value::Str(model.into()));
    for (k, v) in params {
        d.insert((*k).into(), v.clone());
    }
    Desc(d)
}

/// Synapse descriptions.
pub struct Syn;
impl Syn {
    /// `Expon(tau)` (ms).
    pub fn expon(tau: f64) -> Desc {
        desc("Expon", &[("tau", Value::Double(tau))])
    }
    /// `DualExpon(tau_decay, tau_rise)` (ms), normalized.
    pub fn dual_expon(tau_decay: f64, tau_rise: f64) -> Desc {
        desc("DualExpon", &[("tau_decay", Value::Double(tau_decay)), ("tau_rise", Value::Double(tau_rise))])
    }
    /// `Alpha(tau)` (ms).
    pub fn alpha(tau: f64) -> Desc {
        desc("Alpha", &[("tau", Value::Double(tau))])
    }
    /// `AMPA()` with brainpy's defaults.
    pub fn ampa() -> Desc {
        desc("AMPA", &[])
    }
    /// `GABAa()` with brainpy's defaults.
    pub fn gaba_a() -> Desc {
        desc("GABAa", &[])
    }
    /// `BioNMDA()` with brainpy's defaults.
    pub fn bio_nmda() -> Desc {
        desc("BioNMDA", &[])
    }
    /// Any synapse model with parameters.
    pub fn with(model: &str, params: &[(&str, Value)]) -> Desc {
        desc(model, params)
    }
}

/// Output descriptions.
pub struct Out;
impl Out {
    /// `COBA(E)` (mV).
    pub fn coba(e: f64) -> Desc {
        desc("COBA", &[("E", Value::Double(e))])
    }
    /// `CUBA()` with brainpy's default scale of 1 V.
    pub fn cuba() -> Desc {
        desc("CUBA", &[])
    }
    /// `CUBA(scale)` with a scale quantity (or a plain number: dimensionless).
    pub fn cuba_scale(scale: Value) -> Desc {
        desc("CUBA", &[("scale", scale)])
    }
    /// `MgBlock(E)` (mV) with brainpy's other defaults.
    pub fn mg_block(e: f64) -> Desc {
        desc("MgBlock", &[("E", Value::Double(e))])
    }
}

/// Short-term plasticity descriptions.
pub struct Stp;
impl Stp {
    /// `STP(U, tau_f, tau_d)`.
    pub fn stp(u: f64, tau_f: f64, tau_d: f64) -> Desc {
        desc("STP", &[("U", Value::Double(u)), ("tau_f", Value::Double(tau_f)), ("tau_d", Value::Double(tau_d))])
    }
    /// `STD(tau, U)`.
    pub fn std(tau: f64, u: f64) -> Desc {
        desc("STD", &[("tau", Value::Double(tau)), ("U", Value::Double(u))])
    }
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
    let first = pre.first().ok_or_else(|| Error::bad_parameter("align_pre_proj: empty presynaptic collection"))?;
    let whole = k.population_of(first)?;
    let r = k.add_receptor(post, &receptor_spec(None, out))?;
    // The state lives on the whole presynaptic population; the projection uses the ids of `pre`.
    let all = k.add_output_port(&whole, &port)?;
    let (base, wfirst) = (all.first().unwrap_or(0), whole.first().unwrap_or(first));
    let mut ids = Vec::with_capacity(pre.len());
    for g in pre.iter() {
        if !whole.contains(g) {
            return Err(Error::bad_parameter(format!(
                "align_pre_proj: the presynaptic nodes must belong to one population; node {g} is outside {wfirst}..{}",
                wfirst as usize + whole.len() - 1
            )));
        }
        ids.push(base + (g - wfirst));
    }
    let values = NodeCollection::from_ids(&ids);
    // The port's values already include this step's spikes (computed at the end of the
    // presynaptic update), so the one-step delay gives brainpy's timing.
    connect_comm(k, &values, post, comm, r)?;
    Ok(values)
}

/// `DeltaProj(comm, post)`: spikes add `Σ w` to the postsynaptic membrane potential.
pub fn delta_proj(k: &mut Kernel, pre: &NodeCollection, post: &NodeCollection, comm: &Comm) -> Result<()> {
    connect_comm(k, pre, post, comm, 1)
}

/// Parameters of the seed's E/I network (brainpy.state's COBA example).
#[derive(Debug, Clone)]
pub struct EiParams {
    /// Excitatory neurons (3200).
    pub n_exc: usize,
    /// Inhibitory neurons (800).
    pub n_inh: usize,
    /// Connection probability (0.02).
    pub p: f64,
    /// Excitatory weight, mS (0.6).
    pub w_exc: f64,
    /// Inhibitory weight, mS (6.7).
    pub w_inh: f64,
    /// Constant input current, mA (20).
    pub input: f64,
    /// Seed of the initial potentials.
    pub seed: u64,
}

impl Default for EiParams {
    fn default() -> Self {
        EiParams { n_exc: 3200, n_inh: 800, p: 0.02, w_exc: 0.6, w_inh: 6.7, input: 20.0, seed: 42 }
    }
}

/// Builds the seed's E/I network: `LIFRef` (V_rest −60 mV, V_th −50 mV, V_reset −60 mV,
/// tau 20 ms, tau_ref 5 ms, V ~ Normal(−55, 2) mV), `Expon` 5/10 ms with `COBA` 0/−80 mV, fixed
/// probability connectivity, constant input. Returns the population.
pub fn ei_coba(k: &mut Kernel, p: &EiParams) -> Result<NodeCollection> {
    use rand::SeedableRng;
    use rand_distr::{Distribution, Normal};
    let n = p.n_exc + p.n_inh;
    let params = nestor_kernel::dict! {
        "V_rest" => -60.0, "V_th" => -50.0, "V_reset" => -60.0, "tau" => 20.0, "tau_ref" => 5.0,
        "I_ext" => p.input
    };
    let pop = k.create("LIFRef", n, Some(&params))?;
    let mut rng = rand_pcg::Pcg64::seed_from_u64(p.seed);
    let normal = Normal::new(-55.0, 2.0).map_err(|e| Error::bad_parameter(e.to_string()))?;
    let dicts: Vec<Dict> = (0..n).map(|_| nestor_kernel::dict! { "V" => normal.sample(&mut rng) }).collect();
    k.set_status_all(&pop, &dicts)?;
    let e = pop.slice(0, p.n_exc, 1)?;
    let i = pop.slice(p.n_exc, n, 1)?;
    align_post_proj(k, &e, &pop, &Comm::fixed_prob(p.p, p.w_exc), &Syn::expon(5.0), &Out::coba(0.0))?;
    align_post_proj(k, &i, &pop, &Comm::fixed_prob(p.p, p.w_inh), &Syn::expon(10.0), &Out::coba(-80.0))?;
    Ok(pop)
}
