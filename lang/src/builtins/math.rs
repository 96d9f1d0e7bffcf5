//! Arithmetic, comparison, logic and mathematical functions. Integers stay integers where SLI
//! keeps them; quantities are dimension-checked; arrays work element-wise.

use crate::bi;
use crate::builtins::units::{display_quantity, from_canonical, qobj};
use crate::eval::{short, Interp, SliErr, R};
use crate::value::{Builtin, Obj};
use nestor_kernel::units::Quantity;
use std::rc::Rc;

#[derive(Clone, Copy, PartialEq)]
enum Op {
    Add,
    Sub,
    Mul,
    Div,
}

fn mismatch(a: &Quantity, b: &Quantity, what: &str) -> SliErr {
    SliErr::new(
        "DimensionMismatch",
        format!(
            "cannot {what} {} ({}) and {} ({})",
            display_quantity(a),
            a.dim.name(),
            display_quantity(b),
            b.dim.name()
        ),
    )
}

fn as_q(o: &Obj, like: &Quantity) -> Option<Quantity> {
    match o {
        Obj::Quantity(q) => Some(**q),
        o => o.as_num().map(|x| from_canonical(x, like.dim)),
    }
}

fn arith(a: &Obj, b: &Obj, op: Op) -> R<Obj> {
    use Obj::*;
    Ok(match (a, b) {
        (Int(x), Int(y)) => match op {
            Op::Add => Int(x.wrapping_add(*y)),
            Op::Sub => Int(x.wrapping_sub(*y)),
            Op::Mul => Int(x.wrapping_mul(*y)),
            Op::Div => {
                if *y == 0 {
                    return Err(SliErr::new("DivisionByZero", format!("{x} 0 div: division by zero")));
                }
                Int(x.wrapping_div(*y))
            }
        },
        (Int(_) | Double(_), Int(_) | Double(_)) => {
            let (x, y) = (a.as_num().unwrap_or(0.0), b.as_num().unwrap_or(0.0));
            Double(match op {
                Op::Add => x + y,
                Op::Sub => x - y,
                Op::Mul => x * y,
                Op::Div => {
                    if y == 0.0 {
                        return Err(SliErr::new("DivisionByZero", format!("{} 0 div: division by zero", short(a))));
                    }
                    x / y
                }
            })
        }
        (Quantity(_), Int(_) | Double(_) | Quantity(_)) | (Int(_) | Double(_), Quantity(_)) => {
            let like = match (a, b) {
                (Quantity(q), _) | (_, Quantity(q)) => **q,
                _ => unreachable!(),
            };
            match op {
                Op::Add | Op::Sub => {
                    let (qa, qb) = (as_q(a, &like).expect("num"), as_q(b, &like).expect("num"));
                    if qa.dim != qb.dim {
                        return Err(mismatch(&qa, &qb, if op == Op::Add { "add" } else { "subtract" }));
                    }
                    qobj(nestor_kernel::Quantity {
                        si: if op == Op::Add { qa.si + qb.si } else { qa.si - qb.si },
                        dim: qa.dim,
                    })
                }
                // A bare number divided by a quantity: NEST scripts compute rates like
                // `n simtime div 1000 mul` with simtime in ms, so the quantity is read in NEST's
                // unit and the result is a plain number, exactly as in NEST.
                Op::Div if !matches!(a, Quantity(_)) => {
                    let x = a.as_num().unwrap_or(0.0);
                    let y = crate::builtins::units::to_canonical(&like);
                    if y == 0.0 {
                        return Err(SliErr::new("DivisionByZero", "division by a zero quantity"));
                    }
                    Double(x / y)
                }
                Op::Mul | Op::Div => {
                    let (sa, da) = match a {
                        Quantity(q) => (q.si, q.dim),
                        o => (o.as_num().unwrap_or(0.0), nestor_kernel::units::Dim::NONE),
                    };
                    let (sb, db) = match b {
                        Quantity(q) => (q.si, q.dim),
                        o => (o.as_num().unwrap_or(0.0), nestor_kernel::units::Dim::NONE),
                    };
                    if op == Op::Mul {
                        qobj(nestor_kernel::Quantity { si: sa * sb, dim: da.times(db) })
                    } else {
                        if sb == 0.0 {
                            return Err(SliErr::new("DivisionByZero", "division of a quantity by zero"));
                        }
                        qobj(nestor_kernel::Quantity { si: sa / sb, dim: da.per(db) })
                    }
                }
            }
        }
        (Array(x), Array(y)) => {
            if x.len() != y.len() {
                return Err(SliErr::range(format!(
                    "element-wise arithmetic on arrays of lengths {} and {}",
                    x.len(),
                    y.len()
                )));
            }
            Obj::array(x.iter().zip(y.iter()).map(|(p, q)| arith(p, q, op)).collect::<R<Vec<_>>>()?)
        }
        (Array(x), o) => Obj::array(x.iter().map(|p| arith(p, o, op)).collect::<R<Vec<_>>>()?),
        (o, Array(y)) => Obj::array(y.iter().map(|q| arith(o, q, op)).collect::<R<Vec<_>>>()?),
        _ => {
            return Err(SliErr::arg_type(format!(
                "expected two numbers, got {} {} and {} {}",
                a.type_name(),
                short(a),
                b.type_name(),
                short(b)
            )))
        }
    })
}

fn binop(i: &mut Interp, op: Op) -> R {
    i.need(2)?;
    let r = arith(i.at(1), i.at(0), op)?;
    i.ret(2, r)
}
fn add(i: &mut Interp) -> R {
    if i.ostack.len() >= 2 {
        if let (Obj::Str(a), Obj::Str(b)) = (i.at(1), i.at(0)) {
            i.check_size(a.len() + b.len())?;
            let s = format!("{a}{b}");
            return i.ret(2, Obj::str(s));
        }
    }
    binop(i, Op::Add)
}
fn sub(i: &mut Interp) -> R {
    binop(i, Op::Sub)
}
fn mul(i: &mut Interp) -> R {
    binop(i, Op::Mul)
}
fn div(i: &mut Interp) -> R {
    binop(i, Op::Div)
}
fn modulo(i: &mut Interp) -> R {
    i.need(2)?;
    let b = i.int_at(0)?;
    let a = i.int_at(1)?;
    if b == 0 {
        return Err(SliErr::new("DivisionByZero", format!("{a} 0 mod: division by zero")));
    }
    i.ret(2, Obj::Int(a.wrapping_rem(b)))
}

fn unary(i: &mut Interp, name: &str, fi: Option<fn(i64) -> Obj>, fd: fn(f64) -> R<f64>) -> R {
    i.need(1)?;
    fn go(o: &Obj, name: &str, fi: Option<fn(i64) -> Obj>, fd: fn(f64) -> R<f64>) -> R<Obj> {
        match o {
            Obj::Int(x) => match fi {
                Some(f) => Ok(f(*x)),
                None => Ok(Obj::Double(fd(*x as f64)?)),
            },
            Obj::Double(x) => Ok(Obj::Double(fd(*x)?)),
            Obj::Array(a) => Ok(Obj::array(a.iter().map(|x| go(x, name, fi, fd)).collect::<R<Vec<_>>>()?)),
            o => Err(SliErr::arg_type(format!("{name}: expected a number, got {} {}", o.type_name(), short(o)))),
        }
    }
    let r = go(i.at(0), name, fi, fd)?;
    i.ret(1, r)
}
fn neg(i: &mut Interp) -> R {
    i.need(1)?;
    if let Obj::Quantity(q) = i.at(0) {
        let r = Obj::Quantity(Rc::new(Quantity { si: -q.si, dim: q.dim }));
        return i.ret(1, r);
    }
    unary(i, "neg", Some(|x| Obj::Int(x.wrapping_neg())), |x| Ok(-x))
}
fn abs(i: &mut Interp) -> R {
    i.need(1)?;
    if let Obj::Quantity(q) = i.at(0) {
        let r = Obj::Quantity(Rc::new(Quantity { si: q.si.abs(), dim: q.dim }));
        return i.ret(1, r);
    }
    unary(i, "abs", Some(|x| Obj::Int(x.wrapping_abs())), |x| Ok(x.abs()))
}
fn sqrt(i: &mut Interp) -> R {
    unary(i, "sqrt", None, |x| {
        if x < 0.0 {
            Err(SliErr::range(format!("sqrt of the negative number {x}")))
        } else {
            Ok(x.sqrt())
        }
    })
}
fn sqr(i: &mut Interp) -> R {
    // NEST's sqr converts integers to doubles first (3 sqr -> 9.).
    unary(i, "sqr", None, |x| Ok(x * x))
}
fn exp(i: &mut Interp) -> R {
    unary(i, "exp", None, |x| Ok(x.exp()))
}
fn ln(i: &mut Interp) -> R {
    unary(i, "ln", None, |x| if x <= 0.0 { Err(SliErr::range(format!("ln of {x} (must be > 0)"))) } else { Ok(x.ln()) })
}
fn log(i: &mut Interp) -> R {
    unary(i, "log", None, |x| {
        if x <= 0.0 {
            Err(SliErr::range(format!("log of {x} (must be > 0)")))
        } else {
            Ok(x.log10())
        }
    })
}
fn sin(i: &mut Interp) -> R {
    unary(i, "sin", None, |x| Ok(x.sin()))
}
fn cos(i: &mut Interp) -> R {
    unary(i, "cos", None, |x| Ok(x.cos()))
}
fn tan(i: &mut Interp) -> R {
    unary(i, "tan", None, |x| Ok(x.tan()))
}
fn asin(i: &mut Interp) -> R {
    unary(i, "asin", None, |x| Ok(x.asin()))
}
fn acos(i: &mut Interp) -> R {
    unary(i, "acos", None, |x| Ok(x.acos()))
}
fn atan(i: &mut Interp) -> R {
    unary(i, "atan", None, |x| Ok(x.atan()))
}
fn floor(i: &mut Interp) -> R {
    unary(i, "floor", None, |x| Ok(x.floor()))
}
fn ceil(i: &mut Interp) -> R {
    unary(i, "ceil", None, |x| Ok(x.ceil()))
}
fn round(i: &mut Interp) -> R {
    unary(i, "round", None, |x| Ok(x.round()))
}
fn inv(i: &mut Interp) -> R {
    unary(i, "inv", None, |x| if x == 0.0 { Err(SliErr::new("DivisionByZero", "0 inv")) } else { Ok(1.0 / x) })
}
fn dexp(i: &mut Interp) -> R {
    i.need(1)?;
    let n = i.int_at(0)?;
    i.ret(1, Obj::Double(2f64.powi(n.clamp(-2000, 2000) as i32)))
}
fn frexp(i: &mut Interp) -> R {
    i.need(1)?;
    let x = i.num_at(0)?;
    if x == 0.0 || !x.is_finite() {
        i.ret(1, Obj::Double(x))?;
        i.push(Obj::Int(0));
        return Ok(());
    }
    let e = x.abs().log2().floor() as i64 + 1;
    let m = x / 2f64.powi(e as i32);
    i.ret(1, Obj::Double(m))?;
    i.push(Obj::Int(e));
    Ok(())
}
fn pow(i: &mut Interp) -> R {
    i.need(2)?;
    let r = match (i.at(1), i.at(0)) {
        (Obj::Int(a), Obj::Int(b)) if *b >= 0 => Obj::Int(a.wrapping_pow((*b).min(u32::MAX as i64) as u32)),
        (Obj::Quantity(q), Obj::Int(b)) => {
            let mut d = nestor_kernel::units::Dim::NONE;
            for _ in 0..b.abs().min(8) {
                d = if *b > 0 { d.times(q.dim) } else { d.per(q.dim) };
            }
            qobj(Quantity { si: q.si.powi(*b as i32), dim: d })
        }
        _ => {
            let (x, y) = (i.num_at(1)?, i.num_at(0)?);
            if x < 0.0 && y.fract() != 0.0 {
                return Err(SliErr::range(format!("pow: negative base {x} with non-integer exponent {y}")));
            }
            Obj::Double(x.powf(y))
        }
    };
    i.ret(2, r)
}
fn minmax(i: &mut Interp, max: bool) -> R {
    i.need(2)?;
    let less = compare(i.at(1), i.at(0))? == std::cmp::Ordering::Less;
    let pick = if less != max { i.at(1).clone() } else { i.at(0).clone() };
    i.ret(2, pick)
}
fn min(i: &mut Interp) -> R {
    minmax(i, false)
}
fn max(i: &mut Interp) -> R {
    minmax(i, true)
}

/// Orders two comparable objects (numbers, quantities, strings, names).
pub fn compare(a: &Obj, b: &Obj) -> R<std::cmp::Ordering> {
    use std::cmp::Ordering;
    match (a, b) {
        (Obj::Int(x), Obj::Int(y)) => Ok(x.cmp(y)),
        (Obj::Str(x), Obj::Str(y)) => Ok(x.cmp(y)),
        (Obj::Literal(x), Obj::Literal(y)) | (Obj::Name(x), Obj::Name(y)) => Ok(x.name().cmp(&y.name())),
        (Obj::Quantity(q), o) | (o, Obj::Quantity(q)) => {
            let (qa, qb) = match (as_q(a, q), as_q(b, q)) {
                (Some(x), Some(y)) => (x, y),
                _ => return Err(SliErr::arg_type(format!("cannot compare {} with {}", a.type_name(), b.type_name()))),
            };
            let _ = o;
            if qa.dim != qb.dim {
                return Err(mismatch(&qa, &qb, "compare"));
            }
            Ok(qa.si.partial_cmp(&qb.si).unwrap_or(Ordering::Equal))
        }
        _ => match (a.as_num(), b.as_num()) {
            (Some(x), Some(y)) => Ok(x.partial_cmp(&y).unwrap_or(Ordering::Equal)),
            _ => Err(SliErr::arg_type(format!(
                "cannot compare {} {} with {} {}",
                a.type_name(),
                short(a),
                b.type_name(),
                short(b)
            ))),
        },
    }
}
fn cmp_op(i: &mut Interp, f: fn(std::cmp::Ordering) -> bool) -> R {
    i.need(2)?;
    let (a, b) = (i.at(1), i.at(0));
    // NaN compares false with everything.
    if a.as_num().is_some_and(f64::is_nan) || b.as_num().is_some_and(f64::is_nan) {
        return i.ret(2, Obj::Bool(false));
    }
    let o = compare(a, b)?;
    i.ret(2, Obj::Bool(f(o)))
}
fn lt(i: &mut Interp) -> R {
    cmp_op(i, |o| o.is_lt())
}
fn le(i: &mut Interp) -> R {
    cmp_op(i, |o| o.is_le())
}
fn gt(i: &mut Interp) -> R {
    cmp_op(i, |o| o.is_gt())
}
fn ge(i: &mut Interp) -> R {
    cmp_op(i, |o| o.is_ge())
}
fn eq(i: &mut Interp) -> R {
    i.need(2)?;
    let r = i.at(1).sli_eq(i.at(0));
    i.ret(2, Obj::Bool(r))
}
fn ne(i: &mut Interp) -> R {
    i.need(2)?;
    let r = !i.at(1).sli_eq(i.at(0));
    i.ret(2, Obj::Bool(r))
}
fn logic(i: &mut Interp, fb: fn(bool, bool) -> bool, fi: fn(i64, i64) -> i64) -> R {
    i.need(2)?;
    let r = match (i.at(1), i.at(0)) {
        (Obj::Bool(a), Obj::Bool(b)) => Obj::Bool(fb(*a, *b)),
        (Obj::Int(a), Obj::Int(b)) => Obj::Int(fi(*a, *b)),
        (a, b) => {
            return Err(SliErr::arg_type(format!(
                "expected two booleans or two integers, got {} and {}",
                a.type_name(),
                b.type_name()
            )))
        }
    };
    i.ret(2, r)
}
fn and(i: &mut Interp) -> R {
    logic(i, |a, b| a && b, |a, b| a & b)
}
fn or(i: &mut Interp) -> R {
    logic(i, |a, b| a || b, |a, b| a | b)
}
fn xor(i: &mut Interp) -> R {
    logic(i, |a, b| a ^ b, |a, b| a ^ b)
}
fn not(i: &mut Interp) -> R {
    i.need(1)?;
    let r = match i.at(0) {
        Obj::Bool(b) => Obj::Bool(!b),
        Obj::Int(x) => Obj::Int(!x),
        o => return Err(SliErr::arg_type(format!("not: expected a boolean or integer, got {}", o.type_name()))),
    };
    i.ret(1, r)
}
fn e_const(i: &mut Interp) -> R {
    i.push(Obj::Double(std::f64::consts::E));
    Ok(())
}
fn pi_const(i: &mut Interp) -> R {
    i.push(Obj::Double(std::f64::consts::PI));
    Ok(())
}

/// Lambert W function, branch 0 (`upper`) or -1, by Halley iteration.
pub fn lambert_w(x: f64, upper: bool) -> Option<f64> {
    let em1 = -(-1.0f64).exp();
    if x.is_nan() || x < em1 || (!upper && x >= 0.0) {
        return None;
    }
    if x == em1 {
        return Some(-1.0);
    }
    let mut w = if upper {
        if x < 1.0 {
            let p = (2.0 * (std::f64::consts::E * x + 1.0)).sqrt();
            -1.0 + p - p * p / 3.0 + 11.0 / 72.0 * p * p * p
        } else {
            let l = x.ln();
            l - l.ln().max(0.0)
        }
    } else if x > -0.25 {
        let l1 = (-x).ln();
        l1 - (-l1).ln()
    } else {
        let p = -(2.0 * (std::f64::consts::E * x + 1.0)).sqrt();
        -1.0 + p - p * p / 3.0 + 11.0 / 72.0 * p * p * p
    };
    for _ in 0..100 {
        let ew = w.exp();
        let f = w * ew - x;
        let wp1 = w + 1.0;
        if wp1 == 0.0 {
            break;
        }
        let d = f / (ew * wp1 - (w + 2.0) * f / (2.0 * wp1));
        w -= d;
        if d.abs() <= 1e-15 * (1.0 + w.abs()) {
            break;
        }
    }
    Some(w)
}
fn lambert0(i: &mut Interp) -> R {
    i.need(1)?;
    let x = i.num_at(0)?;
    let w = lambert_w(x, true).ok_or_else(|| SliErr::range(format!("LambertW0: {x} < -1/e")))?;
    i.ret(1, Obj::Double(w))
}
fn lambertm1(i: &mut Interp) -> R {
    i.need(1)?;
    let x = i.num_at(0)?;
    let w = lambert_w(x, false).ok_or_else(|| SliErr::range(format!("LambertWm1: {x} outside [-1/e, 0)")))?;
    i.ret(1, Obj::Double(w))
}

/// Evaluates an infix expression (ExecMath): numbers, names, + - * / ^, parentheses and
/// functions of one argument.
fn exec_math(i: &mut Interp) -> R {
    i.need(1)?;
    let s = i.str_at(0)?;
    let v = eval_math(i, &s)?;
    i.ret(1, v)
}
/// Evaluates `;`-separated infix statements (with `%` comments); returns the last value.
pub fn eval_math(i: &mut Interp, s: &str) -> R<Obj> {
    let text: String = s.lines().map(|l| l.split('%').next().unwrap_or("")).collect::<Vec<_>>().join(" ");
    let mut last = None;
    for stmt in text.split(';') {
        let toks = math_tokens(stmt)?;
        if toks.is_empty() {
            continue;
        }
        let mut p = MathParser { t: &toks, k: 0, i };
        let v = p.expr()?;
        if p.k != toks.len() {
            return Err(SliErr::new("SyntaxError", format!("ExecMath: unexpected '{}' in '{stmt}'", toks[p.k])));
        }
        last = Some(v);
    }
    last.ok_or_else(|| SliErr::new("SyntaxError", "ExecMath: empty expression"))
}
fn function(i: &mut Interp) -> R {
    // [/a /b] (expr) Function -> proc taking a b
    i.need(2)?;
    let expr = i.str_at(0)?;
    let names = i.arr_at(1)?;
    use crate::value::Sym;
    let n = |s: &str| Obj::Name(Sym::new(s));
    let mut items = vec![n("<<"), n(">>"), n("begin")];
    for a in names.iter().rev() {
        let s = match a {
            Obj::Literal(s) | Obj::Name(s) => *s,
            o => {
                return Err(SliErr::arg_type(format!(
                    "Function: argument names must be literals, got {}",
                    o.type_name()
                )))
            }
        };
        items.extend([Obj::Literal(s), n("exch"), n("def")]);
    }
    items.extend([Obj::Str(expr), n("ExecMath"), n("end")]);
    let p = crate::value::Proc { items, spans: None, file: 0 };
    i.ret(2, Obj::Proc(std::rc::Rc::new(p)))
}
fn math_tokens(s: &str) -> R<Vec<String>> {
    let mut out = Vec::new();
    let c: Vec<char> = s.chars().collect();
    let mut k = 0;
    while k < c.len() {
        let ch = c[k];
        if ch.is_whitespace() {
            k += 1;
        } else if ch.is_ascii_digit() || ch == '.' {
            let st = k;
            while k < c.len()
                && (c[k].is_ascii_digit()
                    || c[k] == '.'
                    || c[k] == 'e'
                    || ((c[k] == '-' || c[k] == '+') && k > st && c[k - 1] == 'e'))
            {
                k += 1;
            }
            out.push(c[st..k].iter().collect());
        } else if ch.is_alphabetic() || ch == '_' {
            let st = k;
            while k < c.len() && (c[k].is_alphanumeric() || c[k] == '_') {
                k += 1;
            }
            out.push(c[st..k].iter().collect());
        } else if ch == '*' && c.get(k + 1) == Some(&'*') {
            out.push("^".into());
            k += 2;
        } else if "+-*/^(),=".contains(ch) {
            out.push(ch.to_string());
            k += 1;
        } else {
            return Err(SliErr::new("SyntaxError", format!("ExecMath: unexpected character '{ch}'")));
        }
    }
    Ok(out)
}
struct MathParser<'a, 'b> {
    t: &'a [String],
    k: usize,
    i: &'b mut Interp,
}
impl MathParser<'_, '_> {
    fn peek(&self) -> Option<&str> {
        self.t.get(self.k).map(|s| s.as_str())
    }
    fn expr(&mut self) -> R<Obj> {
        let mut v = self.term()?;
        while let Some(op) = self.peek() {
            let op = match op {
                "+" => Op::Add,
                "-" => Op::Sub,
                _ => break,
            };
            self.k += 1;
            let r = self.term()?;
            v = arith(&v, &r, op)?;
        }
        Ok(v)
    }
    fn term(&mut self) -> R<Obj> {
        let mut v = self.power()?;
        while let Some(op) = self.peek() {
            let op = match op {
                "*" => Op::Mul,
                "/" => Op::Div,
                _ => break,
            };
            self.k += 1;
            let r = self.power()?;
            v = arith(&v, &r, op)?;
        }
        Ok(v)
    }
    fn power(&mut self) -> R<Obj> {
        let b = self.atom()?;
        if self.peek() == Some("^") {
            self.k += 1;
            let e = self.power()?;
            let (x, y) = (num(&b)?, num(&e)?);
            return Ok(Obj::Double(x.powf(y)));
        }
        Ok(b)
    }
    fn atom(&mut self) -> R<Obj> {
        let Some(t) = self.t.get(self.k).cloned() else {
            return Err(SliErr::new("SyntaxError", "ExecMath: unexpected end of expression"));
        };
        self.k += 1;
        if t == "(" {
            let v = self.expr()?;
            if self.peek() != Some(")") {
                return Err(SliErr::new("SyntaxError", "ExecMath: missing ')'"));
            }
            self.k += 1;
            return Ok(v);
        }
        if t == "-" {
            let v = self.power()?;
            return arith(&Obj::Int(0), &v, Op::Sub);
        }
        if t.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
            return Ok(match t.parse::<i64>() {
                Ok(x) => Obj::Int(x),
                Err(_) => {
                    Obj::Double(t.parse::<f64>().map_err(|_| SliErr::new("SyntaxError", format!("bad number {t}")))?)
                }
            });
        }
        if self.peek() == Some("(") {
            self.k += 1;
            let a = self.expr()?;
            if self.peek() != Some(")") {
                return Err(SliErr::new("SyntaxError", "ExecMath: missing ')'"));
            }
            self.k += 1;
            let x = num(&a)?;
            let r = match t.as_str() {
                "sin" => x.sin(),
                "cos" => x.cos(),
                "tan" => x.tan(),
                "exp" => x.exp(),
                "ln" => x.ln(),
                "log" => x.log10(),
                "sqrt" => x.sqrt(),
                "abs" => x.abs(),
                "floor" => x.floor(),
                "ceil" => x.ceil(),
                "round" => x.round(),
                "LambertW0" => lambert_w(x, true).unwrap_or(f64::NAN),
                "LambertWm1" => lambert_w(x, false).unwrap_or(f64::NAN),
                f => return Err(SliErr::new("UndefinedName", format!("ExecMath: unknown function '{f}'"))),
            };
            return Ok(Obj::Double(r));
        }
        if self.peek() == Some("=") {
            self.k += 1;
            let v = self.expr()?;
            let d = self.i.dstack.last().expect("dstack").clone();
            d.borrow_mut().insert(crate::value::Sym::new(&t), v.clone());
            return Ok(v);
        }
        match t.as_str() {
            "E" => Ok(Obj::Double(std::f64::consts::E)),
            "Pi" => Ok(Obj::Double(std::f64::consts::PI)),
            _ => self
                .i
                .lookup(crate::value::Sym::new(&t))
                .ok_or_else(|| SliErr::new("UndefinedName", format!("ExecMath: '{t}' is not defined"))),
        }
    }
}
fn num(o: &Obj) -> R<f64> {
    o.as_num().ok_or_else(|| SliErr::arg_type(format!("expected a number, got {}", o.type_name())))
}

/// Arithmetic and logic operators.
pub static BUILTINS: &[Builtin] = &[
    bi!("add", add, "num num add -> num", "1 2 add -> 3", "sub, mul, div"),
    bi!("sub", sub, "num num sub -> num", "5 2 sub -> 3", "add, neg"),
    bi!("mul", mul, "num num mul -> num", "2 3 mul -> 6", "div, add"),
    bi!("div", div, "num num div -> num", "7 2 div -> 3", "mod, mul"),
    bi!("mod", modulo, "int int mod -> int", "7 4 mod -> 3", "div"),
    bi!("neg", neg, "num neg -> num", "3 neg -> -3", "abs, sub"),
    bi!("abs", abs, "num abs -> num", "-3 abs -> 3", "neg"),
    bi!("sqrt", sqrt, "num sqrt -> double", "4 sqrt -> 2.", "pow"),
    bi!("sqr", sqr, "num sqr -> double (the square)", "3 sqr -> 9.", "sqrt, pow"),
    bi!("exp", exp, "num exp -> double", "0 exp -> 1.", "ln, dexp"),
    bi!("dexp", dexp, "int dexp -> double (2^n)", "3 dexp -> 8.", "frexp, exp"),
    bi!("frexp", frexp, "double frexp -> mantissa exponent", "8. frexp -> 0.5 4", "dexp"),
    bi!("ln", ln, "num ln -> double", "E ln -> 1.", "log, exp"),
    bi!("log", log, "num log -> double", "100 log -> 2.", "ln"),
    bi!("pow", pow, "x y pow -> number", "2 10 pow -> 1024", "sqrt, exp"),
    bi!("sin", sin, "num sin -> double", "0 sin -> 0.", "cos, tan"),
    bi!("cos", cos, "num cos -> double", "0 cos -> 1.", "sin"),
    bi!("tan", tan, "num tan -> double", "0 tan -> 0.", "atan"),
    bi!("asin", asin, "num asin -> double", "0 asin -> 0.", "sin"),
    bi!("acos", acos, "num acos -> double", "1 acos -> 0.", "cos"),
    bi!("atan", atan, "num atan -> double", "0 atan -> 0.", "tan"),
    bi!("floor", floor, "num floor -> num", "2.7 floor -> 2.", "ceil, round, cvi"),
    bi!("ceil", ceil, "num ceil -> num", "2.1 ceil -> 3.", "floor, round"),
    bi!("round", round, "num round -> num", "2.5 round -> 3.", "floor, ceil"),
    bi!("inv", inv, "num inv -> double", "2 inv -> 0.5", "div"),
    bi!("min", min, "a b min -> smaller", "1 2 min -> 1", "max, Min"),
    bi!("max", max, "a b max -> larger", "1 2 max -> 2", "min, Max"),
    bi!("eq", eq, "a b eq -> bool", "1 1 eq -> true", "ne, neq"),
    bi!("ne", ne, "a b ne -> bool", "1 2 ne -> true", "eq"),
    bi!("neq", ne, "a b neq -> bool", "1 2 neq -> true", "eq"),
    bi!("lt", lt, "a b lt -> bool", "1 2 lt -> true", "le, gt"),
    bi!("le", le, "a b le -> bool", "2 2 le -> true", "lt, leq"),
    bi!("leq", le, "a b leq -> bool", "2 2 leq -> true", "le"),
    bi!("gt", gt, "a b gt -> bool", "2 1 gt -> true", "ge"),
    bi!("ge", ge, "a b ge -> bool", "2 2 ge -> true", "gt, geq"),
    bi!("geq", ge, "a b geq -> bool", "2 2 geq -> true", "ge"),
    bi!("and", and, "bool bool and -> bool", "true false and -> false", "or, not"),
    bi!("or", or, "bool bool or -> bool", "true false or -> true", "and"),
    bi!("xor", xor, "bool bool xor -> bool", "true true xor -> false", "or"),
    bi!("not", not, "bool not -> bool", "true not -> false", "and"),
    bi!("E", e_const, "E -> 2.71828...", "E ln -> 1.", "Pi"),
    bi!("Pi", pi_const, "Pi -> 3.14159...", "Pi cos -> -1.", "E"),
    bi!("LambertW0", lambert0, "x LambertW0 -> w (principal branch)", "E LambertW0 -> 1.", "LambertWm1"),
    bi!("LambertWm1", lambertm1, "x LambertWm1 -> w (branch -1)", "-0.1 LambertWm1 -> -3.577", "LambertW0"),
    bi!("Function", function, "[/x ..] (expr) Function -> proc", "[/x] (x*x) Function 3 exch exec -> 9", "ExecMath"),
    bi!("ExecMath", exec_math, "(expr) ExecMath -> value", "(1+2*3) ExecMath -> 7", "add, mul"),
];

#[cfg(test)]
mod tests {
    use super::lambert_w;
    #[test]
    fn lambert_identities() {
        for x in [-0.3, -0.1, 0.0, 0.5, 1.0, 10.0, 1e5] {
            let w = lambert_w(x, true).unwrap();
            assert!((w * w.exp() - x).abs() < 1e-12 * (1.0 + x.abs()), "{x}");
        }
        for x in [-0.36, -0.2, -1e-3] {
            let w = lambert_w(x, false).unwrap();
            assert!(w <= -1.0);
            assert!((w * w.exp() - x).abs() < 1e-12, "{x}");
        }
    }
}
