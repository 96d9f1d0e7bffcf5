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
    /// Integers 0, 1, …, n − 1 with equal probability (NEST's `uniform_int`).
    UniformInt {
        /// number of values
        n: u64,
    },
    /// A constant: an operand of an expression.
    Const(f64),
    /// A function of other parameters (NEST's parameter arithmetic, `nest.math`, `nest.logic`);
    /// operands are evaluated left to right, a conditional evaluates only the chosen branch.
    Expr {
        /// the operation
        op: Op,
        /// its operands
        args: Vec<Distribution>,
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

/// An operation of a [`Distribution::Expr`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// a + b
    Add,
    /// a − b
    Sub,
    /// a · b
    Mul,
    /// a / b
    Div,
    /// aᵇ
    Pow,
    /// −a
    Neg,
    /// eᵃ
    Exp,
    /// sin a
    Sin,
    /// cos a
    Cos,
    /// |a|
    Abs,
    /// min(a, b)
    Min,
    /// max(a, b)
    Max,
    /// 1 if a < b else 0
    Lt,
    /// 1 if a ≤ b else 0
    Le,
    /// 1 if a = b else 0
    Eq,
    /// 1 if a ≠ b else 0
    Ne,
    /// 1 if a ≥ b else 0
    Ge,
    /// 1 if a > b else 0
    Gt,
    /// b if a ≠ 0 else c
    Cond,
}

impl Op {
    const NAMES: [(&'static str, Op, usize); 19] = [
        ("add", Op::Add, 2),
        ("sub", Op::Sub, 2),
        ("mul", Op::Mul, 2),
        ("div", Op::Div, 2),
        ("pow", Op::Pow, 2),
        ("neg", Op::Neg, 1),
        ("exp", Op::Exp, 1),
        ("sin", Op::Sin, 1),
        ("cos", Op::Cos, 1),
        ("abs", Op::Abs, 1),
        ("min", Op::Min, 2),
        ("max", Op::Max, 2),
        ("lt", Op::Lt, 2),
        ("le", Op::Le, 2),
        ("eq", Op::Eq, 2),
        ("ne", Op::Ne, 2),
        ("ge", Op::Ge, 2),
        ("gt", Op::Gt, 2),
        ("conditional", Op::Cond, 3),
    ];
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
            Distribution::UniformInt { n: 0 } => bad("uniform_int needs max >= 1, got 0".into()),
            Distribution::Expr { ref args, .. } => args.iter().try_for_each(|a| a.validate()),
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
            Distribution::UniformInt { n } => rng.random_range(0..n) as f64,
            Distribution::Const(x) => x,
            Distribution::Expr { op, ref args } => {
                let mut arg = |i: usize| args.get(i).map_or(f64::NAN, |a| a.sample(rng));
                let b = |c: bool| if c { 1.0 } else { 0.0 };
                match op {
                    Op::Cond => {
                        if arg(0) != 0.0 {
                            arg(1)
                        } else {
                            arg(2)
                        }
                    }
                    Op::Neg => -arg(0),
                    Op::Exp => arg(0).exp(),
                    Op::Sin => arg(0).sin(),
                    Op::Cos => arg(0).cos(),
                    Op::Abs => arg(0).abs(),
                    _ => {
                        let x = arg(0);
                        let y = arg(1);
                        match op {
                            Op::Add => x + y,
                            Op::Sub => x - y,
                            Op::Mul => x * y,
                            Op::Div => x / y,
                            Op::Pow => x.powf(y),
                            Op::Min => x.min(y),
                            Op::Max => x.max(y),
                            Op::Lt => b(x < y),
                            Op::Le => b(x <= y),
                            Op::Eq => b(x == y),
                            Op::Ne => b(x != y),
                            Op::Ge => b(x >= y),
                            _ => b(x > y),
                        }
                    }
                }
            }
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
            "uniform" => {
                Distribution::Uniform { low: num(&["low", "min"], Some(0.0))?, high: num(&["high", "max"], Some(1.0))? }
            }
            "normal" => {
                Distribution::Normal { mean: num(&["mu", "mean"], Some(0.0))?, std: num(&["sigma", "std"], Some(1.0))? }
            }
            "normal_clipped" | "clipped_normal" => Distribution::ClippedNormal {
                mean: num(&["mu", "mean"], Some(0.0))?,
                std: num(&["sigma", "std"], Some(1.0))?,
                low: num(&["low", "min"], Some(f64::NEG_INFINITY))?,
                high: num(&["high", "max"], Some(f64::INFINITY))?,
            },
            "lognormal" => Distribution::LogNormal {
                mu: num(&["mu", "mean"], Some(0.0))?,
                sigma: num(&["sigma", "std"], Some(1.0))?,
            },
            "exponential" => {
                let beta = match d.get("lambda") {
                    Some(l) => 1.0 / l.as_f64(key)?,
                    None => num(&["beta"], Some(1.0))?,
                };
                Distribution::Exponential { beta }
            }
            "uniform_int" => {
                let n = d
                    .get("max")
                    .ok_or_else(|| Error::bad_property(format!("distribution 'uniform_int' for '{key}' needs 'max'")))?
                    .as_i64(key)?;
                if n < 1 {
                    return Err(Error::bad_parameter(format!("uniform_int needs max >= 1, got {n}")));
                }
                Distribution::UniformInt { n: n as u64 }
            }
            "constant" => Distribution::Const(num(&["value"], Some(0.0))?),
            "expression" => {
                let op_name = d
                    .get("op")
                    .ok_or_else(|| Error::bad_property(format!("expression parameter for '{key}' needs 'op'")))?
                    .as_str("op")?;
                let Some(&(_, op, arity)) = Op::NAMES.iter().find(|(n, _, _)| *n == op_name) else {
                    let known: Vec<&str> = Op::NAMES.iter().map(|(n, _, _)| *n).collect();
                    return Err(Error::bad_property(format!(
                        "unknown operation '{op_name}' in a parameter for '{key}'; known: {}",
                        known.join(", ")
                    )));
                };
                let args: Vec<Distribution> = match d.get("args") {
                    Some(Value::Array(a)) => a.iter().map(|v| Self::operand(v, unit, key)).collect::<Result<_>>()?,
                    Some(Value::DoubleVec(a)) => a.iter().map(|&x| Distribution::Const(x)).collect(),
                    Some(Value::IntVec(a)) => a.iter().map(|&x| Distribution::Const(x as f64)).collect(),
                    _ => {
                        return Err(Error::bad_property(format!(
                            "expression parameter '{op_name}' for '{key}' needs 'args', an array of {arity} operands"
                        )))
                    }
                };
                if args.len() != arity {
                    return Err(Error::bad_property(format!(
                        "operation '{op_name}' in a parameter for '{key}' takes {arity} operands, got {}",
                        args.len()
                    )));
                }
                Distribution::Expr { op, args }
            }
            other => {
                return Err(Error::bad_property(format!(
                    "unknown distribution '{other}' for '{key}'; known: uniform, uniform_int, normal, normal_clipped, \
                     lognormal, exponential, constant, expression"
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

    /// An operand of an expression: a number (in the parameter's unit) or a parameter dictionary.
    fn operand(v: &Value, unit: Unit, key: &str) -> Result<Self> {
        match v {
            Value::Dict(d) => Self::from_dict(d, unit, key),
            v => Ok(Distribution::Const(v.as_f64_in(unit, key)?)),
        }
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
    /// A receptor port per connection instead (NEST takes a parameter or an array for
    /// `receptor_type`, e.g. `1 + nest.random.uniform_int(n)`); values must be integers ≥ 0.
    pub receptor_draw: Option<ParamValue>,
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
                "receptor_type" => match v {
                    Value::Dict(_) | Value::DoubleVec(_) | Value::IntVec(_) | Value::Array(_) => {
                        s.receptor_draw = Some(ParamValue::from_value(v, Unit::Dimensionless, k)?)
                    }
                    _ => s.receptor_type = Some(v.as_i64(k)?),
                },
                // Checked against the synapse model's schema when connecting.
                other => {
                    s.params.insert(other.to_string(), v.clone());
                }
            }
        }
        Ok(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn parse(d: Dict) -> Result<Distribution> {
        Distribution::from_dict(&d, Unit::MilliVolt, "V_m")
    }
    fn dist(name: &str, extra: &[(&str, Value)]) -> Value {
        let mut d = Dict::new();
        d.insert("distribution".into(), Value::Str(name.into()));
        for (k, v) in extra {
            d.insert((*k).into(), v.clone());
        }
        Value::Dict(d)
    }
    fn expr(op: &str, args: Vec<Value>) -> Dict {
        let Value::Dict(d) = dist("expression", &[("op", Value::Str(op.into())), ("args", Value::Array(args))]) else {
            unreachable!()
        };
        d
    }

    #[test]
    fn expressions_evaluate_left_to_right_with_the_parameter_unit() {
        let mut rng = rand_pcg::Pcg64::seed_from_u64(1);
        let e = parse(expr("add", vec![Value::Double(2.0), Value::Double(3.0)])).unwrap();
        assert_eq!(e.sample(&mut rng), 5.0);
        // A quantity operand is converted to the parameter's unit (mV).
        let q = Value::Quantity(Quantity::new(-70.0, Unit::MilliVolt));
        let e = parse(expr("mul", vec![q, Value::Double(2.0)])).unwrap();
        assert!((e.sample(&mut rng) - -140.0).abs() < 1e-12);
        let u = dist("uniform", &[("min", Value::Double(0.0)), ("max", Value::Double(1.0))]);
        let cond = Value::Dict(expr("lt", vec![u, Value::Double(0.5)]));
        let e = parse(expr("conditional", vec![cond, Value::Double(-60.0), Value::Double(-50.0)])).unwrap();
        let draws: Vec<f64> = (0..200).map(|_| e.sample(&mut rng)).collect();
        assert!(draws.iter().all(|&x| x == -60.0 || x == -50.0));
        assert!(draws.contains(&-60.0) && draws.contains(&-50.0));
    }

    #[test]
    fn uniform_int_and_bad_expressions() {
        let mut rng = rand_pcg::Pcg64::seed_from_u64(2);
        let Value::Dict(d) = dist("uniform_int", &[("max", Value::Int(3))]) else { unreachable!() };
        let e = parse(d).unwrap();
        let mut seen = [false; 3];
        for _ in 0..100 {
            let x = e.sample(&mut rng);
            assert!(x == 0.0 || x == 1.0 || x == 2.0);
            seen[x as usize] = true;
        }
        assert_eq!(seen, [true; 3]);
        let Value::Dict(d) = dist("uniform_int", &[("max", Value::Int(0))]) else { unreachable!() };
        assert!(parse(d).is_err());
        let err = parse(expr("frobnicate", vec![Value::Double(1.0)])).unwrap_err();
        assert!(err.message.contains("frobnicate") && err.message.contains("known"), "{}", err.message);
        let err = parse(expr("add", vec![Value::Double(1.0)])).unwrap_err();
        assert!(err.message.contains("takes 2 operands, got 1"), "{}", err.message);
    }
}
