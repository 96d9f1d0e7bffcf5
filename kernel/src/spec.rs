//! Connection and synapse specifications (NEST 3's `conn_spec` and `syn_spec`), and parameters
//! that may be scalars, per-connection arrays or random distributions.

use crate::error::{hint, Error, Result};
use crate::units::{Quantity, Unit};
use crate::value::{Dict, Value};
use rand::RngExt;
use rand_distr::{Distribution as _, Exp, LogNormal, Normal};

/// A connection rule.
#[derive(Debug, Clone, PartialEq)]
pub enum Rule {
    /// i-th source to i-th target.
    OneToOne,
    /// Every source to every target.
    AllToAll,
    /// Each target gets `indegree` randomly drawn sources.
    FixedIndegree(usize),
    /// Each source gets `outdegree` randomly drawn targets.
    FixedOutdegree(usize),
    /// `N` randomly drawn (source, target) pairs in total.
    FixedTotalNumber(usize),
    /// Each (source, target) pair is connected with probability `p`.
    PairwiseBernoulli(f64),
}

/// A connection specification.
#[derive(Debug, Clone, PartialEq)]
pub struct ConnSpec {
    /// The rule.
    pub rule: Rule,
    /// Whether a node may connect to itself (NEST default: true).
    pub allow_autapses: bool,
    /// Whether a pair may be connected more than once (NEST default: true).
    pub allow_multapses: bool,
    /// Whether every connection i → j is accompanied by j → i with the same parameters (NEST's
    /// `make_symmetric`; only the `one_to_one` rule supports it, and no random parameters).
    pub make_symmetric: bool,
}

impl ConnSpec {
    /// A spec with NEST's defaults for `rule`.
    pub fn new(rule: Rule) -> Self {
        ConnSpec { rule, allow_autapses: true, allow_multapses: true, make_symmetric: false }
    }
    /// Parses a NEST 3 conn_spec dictionary (`<< /rule /fixed_indegree /indegree 100 >>`).
    pub fn from_dict(d: &Dict) -> Result<Self> {
        let rule_name = match d.get("rule") {
            Some(v) => v.as_str("rule")?.to_string(),
            None => "all_to_all".to_string(),
        };
        let get_n = |k: &str| -> Result<usize> {
            let v = d.get(k).ok_or_else(|| {
                Error::bad_property(format!("connection rule '{rule_name}' requires the parameter '{k}'"))
            })?;
            let n = v.as_i64(k)?;
            if n < 0 {
                return Err(Error::bad_property(format!("'{k}' must be non-negative, got {n}")));
            }
            Ok(n as usize)
        };
        let rule = match rule_name.as_str() {
            "one_to_one" => Rule::OneToOne,
            "all_to_all" => Rule::AllToAll,
            "fixed_indegree" => Rule::FixedIndegree(get_n("indegree")?),
            "fixed_outdegree" => Rule::FixedOutdegree(get_n("outdegree")?),
            "fixed_total_number" => Rule::FixedTotalNumber(get_n("N")?),
            "pairwise_bernoulli" => {
                let p = d
                    .get("p")
                    .ok_or_else(|| {
                        Error::bad_property("connection rule 'pairwise_bernoulli' requires the parameter 'p'")
                    })?
                    .as_f64("p")?;
                if !(0.0..=1.0).contains(&p) {
                    return Err(Error::bad_parameter(format!("connection probability p must be in [0, 1], got {p}")));
                }
                Rule::PairwiseBernoulli(p)
            }
            other => {
                const RULES: [&str; 6] = [
                    "one_to_one",
                    "all_to_all",
                    "fixed_indegree",
                    "fixed_outdegree",
                    "fixed_total_number",
                    "pairwise_bernoulli",
                ];
                return Err(Error::bad_property(format!(
                    "unknown connection rule '{other}'{}; known rules: {}",
                    hint(other, RULES),
                    RULES.join(", ")
                )));
            }
        };
        let mut spec = ConnSpec::new(rule);
        for (k, v) in d {
            match k.as_str() {
                "rule" | "indegree" | "outdegree" | "N" | "p" => {}
                "allow_autapses" | "autapses" => spec.allow_autapses = v.as_bool(k)?,
                "allow_multapses" | "multapses" => spec.allow_multapses = v.as_bool(k)?,
                "make_symmetric" => spec.make_symmetric = v.as_bool(k)?,
                other => {
                    return Err(Error::bad_property(format!(
                        "conn_spec has no parameter '{other}' for rule '{rule_name}'"
                    )))
                }
            }
        }
        Ok(spec)
    }
}

/// A random distribution for synapse parameters.
#[derive(Debug, Clone, PartialEq)]
pub enum Distribution {
    /// Uniform on [low, high).
    Uniform {
        /// lower bound
        low: f64,
        /// upper bound
        high: f64,
    },
    /// Normal(mean, std).
    Normal {
        /// mean
        mean: f64,
        /// standard deviation
        std: f64,
    },
    /// Normal(mean, std) redrawn until inside [low, high].
    ClippedNormal {
        /// mean
        mean: f64,
        /// standard deviation
        std: f64,
        /// lower bound
        low: f64,
        /// upper bound
        high: f64,
    },
    /// exp(Normal(mu, sigma)).
    LogNormal {
        /// mean of the underlying normal
        mu: f64,
        /// std of the underlying normal
        sigma: f64,
    },
    /// Exponential with scale `beta` (mean beta).
    Exponential {
        /// scale (mean)
        beta: f64,
    },
    /// Another distribution redrawn until the value lies in [low, high] (NEST's `redraw`).
    Redrawn {
        /// the distribution drawn from
        inner: Box<Distribution>,
        /// lower bound
        low: f64,
        /// upper bound
        high: f64,
    },
}

/// Most draws of a [`Distribution::Redrawn`] before it gives up (NEST's limit).
pub const MAX_REDRAWS: usize = 1000;

impl Distribution {
    /// Checks the parameters.
    pub fn validate(&self) -> Result<()> {
        let bad = |m: String| Err(Error::bad_parameter(m));
        match *self {
            Distribution::Uniform { low, high } if !(low < high) => {
                bad(format!("uniform distribution needs low < high, got low={low}, high={high}"))
            }
            Distribution::Normal { std, .. } | Distribution::ClippedNormal { std, .. } if !(std >= 0.0) => {
                bad(format!("normal distribution needs std >= 0, got {std}"))
            }
            Distribution::ClippedNormal { low, high, .. } if !(low < high) => {
                bad(format!("clipped normal needs low < high, got low={low}, high={high}"))
            }
            Distribution::LogNormal { sigma, .. } if !(sigma >= 0.0) => {
                bad(format!("lognormal distribution needs sigma >= 0, got {sigma}"))
            }
            Distribution::Exponential { beta } if !(beta > 0.0) => {
                bad(format!("exponential distribution needs beta > 0, got {beta}"))
            }
            Distribution::Redrawn { low, high, .. } if !(low < high) => {
                bad(format!("redraw needs min < max, got min={low}, max={high}"))
            }
            Distribution::Redrawn { ref inner, .. } => inner.validate(),
            _ => Ok(()),
        }
    }
    /// One draw.
    pub fn sample<R: rand::Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match *self {
            Distribution::Uniform { low, high } => low + (high - low) * rng.random::<f64>(),
            Distribution::Normal { mean, std } => Normal::new(mean, std).map_or(mean, |n| n.sample(rng)),
            Distribution::ClippedNormal { mean, std, low, high } => {
                let Ok(n) = Normal::new(mean, std) else { return mean.clamp(low, high) };
                for _ in 0..10_000 {
                    let x = n.sample(rng);
                    if (low..=high).contains(&x) {
                        return x;
                    }
                }
                mean.clamp(low, high)
            }
            Distribution::LogNormal { mu, sigma } => LogNormal::new(mu, sigma).map_or(mu.exp(), |n| n.sample(rng)),
            Distribution::Exponential { beta } => Exp::new(1.0 / beta).map_or(beta, |e| e.sample(rng)),
            Distribution::Redrawn { ref inner, low, high } => {
                let mut x = inner.sample(rng);
                for _ in 1..MAX_REDRAWS {
                    if (low..=high).contains(&x) {
                        return x;
                    }
                    x = inner.sample(rng);
                }
                x.clamp(low, high)
            }
        }
    }
    /// Parses `<< /distribution /uniform /low 0. /high 1. >>` (NEST 2 names) or NEST 3's names
    /// (`min`/`max`, `mean`/`std`, `beta`). `redraw_min`/`redraw_max` make it a
    /// [`Distribution::Redrawn`] (how SLI's `redraw` reaches the kernel).
    pub fn from_dict(d: &Dict, unit: Unit, key: &str) -> Result<Self> {
        let name = d
            .get("distribution")
            .ok_or_else(|| Error::bad_property(format!("'{key}' dictionary needs a 'distribution' entry")))?
            .as_str("distribution")?;
        let num = |names: &[&str], default: Option<f64>| -> Result<f64> {
            for n in names {
                if let Some(v) = d.get(*n) {
                    return v.as_f64_in(unit, key);
                }
            }
            default
                .ok_or_else(|| Error::bad_property(format!("distribution '{name}' for '{key}' needs '{}'", names[0])))
        };
        let dist = match name {
            "uniform" => Distribution::Uniform { low: num(&["low", "min"], Some(0.0))?, high: num(&["high", "max"], Some(1.0))? },
            "normal" => Distribution::Normal { mean: num(&["mu", "mean"], Some(0.0))?, std: num(&["sigma", "std"], Some(1.0))? },
            "normal_clipped" | "clipped_normal" => Distribution::ClippedNormal {
                mean: num(&["mu", "mean"], Some(0.0))?,
                std: num(&["sigma", "std"], Some(1.0))?,
                low: num(&["low", "min"], Some(f64::NEG_INFINITY))?,
                high: num(&["high", "max"], Some(f64::INFINITY))?,
            },
            "lognormal" => Distribution::LogNormal { mu: num(&["mu", "mean"], Some(0.0))?, sigma: num(&["sigma", "std"], Some(1.0))? },
            "exponential" => {
                let beta = match d.get("lambda") {
                    Some(l) => 1.0 / l.as_f64(key)?,
                    None => num(&["beta"], Some(1.0))?,
                };
                Distribution::Exponential { beta }
            }
            other => {
                return Err(Error::bad_property(format!(
                    "unknown distribution '{other}' for '{key}'; known: uniform, normal, normal_clipped, lognormal, exponential"
                )))
            }
        };
        let dist = match (d.get("redraw_min"), d.get("redraw_max")) {
            (None, None) => dist,
            (lo, hi) => Distribution::Redrawn {
                inner: Box::new(dist),
                low: lo.map_or(Ok(f64::NEG_INFINITY), |v| v.as_f64_in(unit, key))?,
                high: hi.map_or(Ok(f64::INFINITY), |v| v.as_f64_in(unit, key))?,
            },
        };
        dist.validate()?;
        Ok(dist)
    }
}

/// A synapse parameter (weight, delay): one value, one value per connection, or random.
#[derive(Debug, Clone, PartialEq)]
pub enum ParamValue {
    /// The same value for every connection.
    Scalar(f64),
    /// A value carrying a unit; converted against the target's expectation.
    Quantity(Quantity),
    /// One value per connection, in the order the rule creates them.
    Array(Vec<f64>),
    /// Drawn per connection.
    Random(Distribution),
}

impl ParamValue {
    /// Parses a syn_spec entry.
    pub fn from_value(v: &Value, unit: Unit, key: &str) -> Result<Self> {
        Ok(match v {
            Value::Double(x) => ParamValue::Scalar(*x),
            Value::Int(i) => ParamValue::Scalar(*i as f64),
            Value::Quantity(q) => ParamValue::Scalar(unit.convert(q, key)?),
            Value::Dict(d) => ParamValue::Random(Distribution::from_dict(d, unit, key)?),
            Value::DoubleVec(_) | Value::IntVec(_) | Value::Array(_) => ParamValue::Array(v.as_f64_vec_in(unit, key)?),
            other => {
                return Err(Error::argument_type(format!(
                    "syn_spec '{key}' must be a number, an array or a distribution dictionary, got {}",
                    other.type_name()
                )))
            }
        })
    }
}

/// A synapse specification.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SynSpec {
    /// Synapse model name; `static_synapse` when `None`.
    pub model: Option<String>,
    /// Weight (unit depends on the target: pA, nS or mV).
    pub weight: Option<ParamValue>,
    /// Delay in ms.
    pub delay: Option<ParamValue>,
    /// Receptor port of the target.
    pub receptor_type: Option<i64>,
    /// Further parameters of the synapse model (e.g. `tau_plus` of `stdp_synapse`), checked
    /// against the model's schema when connecting.
    pub params: Dict,
}

impl SynSpec {
    /// The default static synapse.
    pub fn new() -> Self {
        Self::default()
    }
    /// With a weight.
    pub fn weight(mut self, w: f64) -> Self {
        self.weight = Some(ParamValue::Scalar(w));
        self
    }
    /// With a delay in ms.
    pub fn delay(mut self, d: f64) -> Self {
        self.delay = Some(ParamValue::Scalar(d));
        self
    }
    /// With a synapse model.
    pub fn model(mut self, m: &str) -> Self {
        self.model = Some(m.to_string());
        self
    }
    /// Parses a NEST 3 syn_spec dictionary.
    pub fn from_dict(d: &Dict) -> Result<Self> {
        let mut s = SynSpec::new();
        for (k, v) in d {
            match k.as_str() {
                "synapse_model" | "model" => s.model = Some(v.as_str(k)?.to_string()),
                // Weight units depend on the target; a quantity is checked when connecting.
                "weight" => {
                    s.weight = Some(match v {
                        Value::Quantity(q) => ParamValue::Quantity(*q),
                        _ => ParamValue::from_value(v, Unit::Dimensionless, k)?,
                    })
                }
                "delay" => s.delay = Some(ParamValue::from_value(v, Unit::Millisecond, k)?),
                "receptor_type" => s.receptor_type = Some(v.as_i64(k)?),
                // Checked against the synapse model's schema when connecting.
                other => {
                    s.params.insert(other.to_string(), v.clone());
                }
            }
        }
        Ok(s)
    }
}
