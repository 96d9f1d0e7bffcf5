//! SLI objects: the values on the operand stack.
//!
//! Arrays, procedures and strings are shared with `Rc` and copied on write, so they behave as
//! values (`put` on an array returns the changed array). Dictionaries are shared references, as in
//! SLI. Names are interned symbols.

use crate::ast::Span;
use nestor_kernel::units::{Dim, Quantity};
use nestor_kernel::{ConnectionInfo, NodeCollection};
use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::rc::Rc;

/// An interned name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sym(pub u32);

type Names = (Vec<Rc<str>>, HashMap<Rc<str>, u32>);
thread_local! {
    static NAMES: RefCell<Names> = RefCell::new((Vec::new(), HashMap::new()));
}

impl Sym {
    /// Interns `s`.
    pub fn new(s: &str) -> Sym {
        NAMES.with(|n| {
            let mut n = n.borrow_mut();
            if let Some(&i) = n.1.get(s) {
                return Sym(i);
            }
            let rc: Rc<str> = Rc::from(s);
            let i = n.0.len() as u32;
            n.0.push(rc.clone());
            n.1.insert(rc, i);
            Sym(i)
        })
    }
    /// The text of the name.
    pub fn name(self) -> Rc<str> {
        NAMES.with(|n| n.borrow().0[self.0 as usize].clone())
    }
}

impl std::fmt::Display for Sym {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name())
    }
}

/// A procedure body with the source positions of its items (absent for procedures made at run
/// time with `cvx`).
#[derive(Debug, Clone, Default)]
pub struct Proc {
    /// The items.
    pub items: Vec<Obj>,
    /// Source span of each item, when parsed from a file.
    pub spans: Option<Rc<Vec<Span>>>,
    /// The file the spans refer to.
    pub file: u32,
}

/// A dictionary: name → object, with reference semantics.
pub type DictRef = Rc<RefCell<HashMap<Sym, Obj>>>;

/// A builtin operator: name, function, documentation.
pub struct Builtin {
    /// The SLI name.
    pub name: &'static str,
    /// Implementation.
    pub f: crate::eval::BuiltinFn,
    /// Documentation: stack effect, example, see also (lines separated by '\n').
    pub doc: &'static str,
}

impl std::fmt::Debug for Builtin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "<builtin {}>", self.name)
    }
}

/// A type-dispatching procedure (`/f [/inttype] {...} def`), as SLI's tries.
#[derive(Debug, Default)]
pub struct Trie {
    /// The name, for messages.
    pub name: Option<Sym>,
    /// Signatures (deepest argument first) and their implementations.
    pub entries: Vec<(Vec<Sym>, Obj)>,
}

/// Output streams.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamKind {
    /// Standard output.
    Cout,
    /// Standard error.
    Cerr,
}

/// An SLI object.
#[derive(Debug, Clone)]
pub enum Obj {
    /// integertype
    Int(i64),
    /// doubletype
    Double(f64),
    /// booltype
    Bool(bool),
    /// stringtype
    Str(Rc<String>),
    /// nametype (executable name)
    Name(Sym),
    /// literaltype
    Literal(Sym),
    /// arraytype
    Array(Rc<Vec<Obj>>),
    /// proceduretype
    Proc(Rc<Proc>),
    /// literalproceduretype: a procedure that is pushed, not run, when executed.
    LitProc(Rc<Proc>),
    /// dictionarytype
    Dict(DictRef),
    /// marktype
    Mark,
    /// a builtin operator (functiontype)
    Builtin(&'static Builtin),
    /// trietype
    Trie(Rc<RefCell<Trie>>),
    /// a physical quantity (nestor extension)
    Quantity(Rc<Quantity>),
    /// nodecollectiontype
    Nodes(Rc<NodeCollection>),
    /// connectiontype
    Conn(Rc<ConnectionInfo>),
    /// ostreamtype (string stream made with osstream)
    OStream(Rc<RefCell<(String, usize)>>),
    /// ostreamtype (cout, cerr)
    Stream(StreamKind),
    /// parametertype: a random or constant value made by `CreateParameter` (see
    /// `builtins::params`), drawn where it is used (node status, synapse parameters).
    Param(Rc<ParamSpec>),
}

/// What a `parametertype` object stands for.
#[derive(Debug, Clone, PartialEq)]
pub enum ParamSpec {
    /// The same value everywhere.
    Constant(f64),
    /// A distribution, as the kernel's distribution dictionary (`/distribution`, its
    /// parameters, optional `redraw_min`/`redraw_max`).
    Random(nestor_kernel::Dict),
}

impl Obj {
    /// A string object.
    pub fn str(s: impl Into<String>) -> Obj {
        Obj::Str(Rc::new(s.into()))
    }
    /// A literal name.
    pub fn lit(s: &str) -> Obj {
        Obj::Literal(Sym::new(s))
    }
    /// An array.
    pub fn array(v: Vec<Obj>) -> Obj {
        Obj::Array(Rc::new(v))
    }
    /// A new empty dictionary.
    pub fn new_dict() -> DictRef {
        Rc::new(RefCell::new(HashMap::new()))
    }
    /// SLI's type name.
    pub fn type_name(&self) -> &'static str {
        match self {
            Obj::Int(_) => "integertype",
            Obj::Double(_) => "doubletype",
            Obj::Bool(_) => "booltype",
            Obj::Str(_) => "stringtype",
            Obj::Name(_) => "nametype",
            Obj::Literal(_) => "literaltype",
            Obj::Array(_) => "arraytype",
            Obj::Proc(_) => "proceduretype",
            Obj::LitProc(_) => "literalproceduretype",
            Obj::Dict(_) => "dictionarytype",
            Obj::Mark => "marktype",
            Obj::Builtin(_) => "functiontype",
            Obj::Trie(_) => "trietype",
            Obj::Quantity(_) => "quantitytype",
            Obj::Nodes(_) => "nodecollectiontype",
            Obj::Conn(_) => "connectiontype",
            Obj::OStream(_) | Obj::Stream(_) => "ostreamtype",
            Obj::Param(_) => "parametertype",
        }
    }
    /// Whether a signature type name accepts this object.
    pub fn matches_type(&self, t: &str) -> bool {
        t == "anytype"
            || t == self.type_name()
            || (t == "numbertype" && matches!(self, Obj::Int(_) | Obj::Double(_)))
            || (t == "proceduretype" && matches!(self, Obj::Proc(_)))
    }
    /// The number as f64 for int and double.
    pub fn as_num(&self) -> Option<f64> {
        match self {
            Obj::Int(i) => Some(*i as f64),
            Obj::Double(x) => Some(*x),
            _ => None,
        }
    }
    /// Structural equality as SLI's `eq`: same type and value (no int/double promotion);
    /// dictionaries and streams by identity.
    pub fn sli_eq(&self, o: &Obj) -> bool {
        match (self, o) {
            (Obj::Int(a), Obj::Int(b)) => a == b,
            (Obj::Double(a), Obj::Double(b)) => a == b,
            (Obj::Bool(a), Obj::Bool(b)) => a == b,
            (Obj::Str(a), Obj::Str(b)) => a == b,
            (Obj::Name(a), Obj::Name(b)) | (Obj::Literal(a), Obj::Literal(b)) => a == b,
            (Obj::Array(a), Obj::Array(b)) => a.len() == b.len() && a.iter().zip(b.iter()).all(|(x, y)| x.sli_eq(y)),
            (Obj::Proc(a), Obj::Proc(b)) | (Obj::LitProc(a), Obj::LitProc(b)) => {
                a.items.len() == b.items.len() && a.items.iter().zip(b.items.iter()).all(|(x, y)| x.sli_eq(y))
            }
            (Obj::Dict(a), Obj::Dict(b)) => Rc::ptr_eq(a, b),
            (Obj::Mark, Obj::Mark) => true,
            (Obj::Builtin(a), Obj::Builtin(b)) => std::ptr::eq(*a, *b),
            (Obj::Trie(a), Obj::Trie(b)) => Rc::ptr_eq(a, b),
            (Obj::Quantity(a), Obj::Quantity(b)) => a.dim == b.dim && a.si == b.si,
            (Obj::Nodes(a), Obj::Nodes(b)) => a == b,
            (Obj::Conn(a), Obj::Conn(b)) => a.source == b.source && a.target == b.target && a.id == b.id,
            (Obj::OStream(a), Obj::OStream(b)) => Rc::ptr_eq(a, b),
            (Obj::Stream(a), Obj::Stream(b)) => a == b,
            (Obj::Param(a), Obj::Param(b)) => Rc::ptr_eq(a, b),
            _ => false,
        }
    }
}

/// Formats a double as C++ streams do by default (`%g` with `prec` significant digits).
pub fn fmt_g(x: f64, prec: usize) -> String {
    if x.is_nan() {
        return "nan".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf".into() } else { "-inf".into() };
    }
    if x == 0.0 {
        return if x.is_sign_negative() { "-0".into() } else { "0".into() };
    }
    let p = prec.max(1);
    let e = format!("{:.*e}", p - 1, x);
    let (mant, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if exp < -4 || exp >= p as i32 {
        let mant = trim_zeros(mant);
        format!("{mant}e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs())
    } else {
        let decimals = (p as i32 - 1 - exp).max(0) as usize;
        trim_zeros(&format!("{:.*}", decimals, x)).to_string()
    }
}

fn trim_zeros(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

fn write_quantity(out: &mut String, q: &Quantity) {
    let _ = write!(out, "{}", crate::builtins::units::display_quantity(q));
}

/// Printing styles: `=` (plain), `==` (syntax).
impl Obj {
    /// The text `=` and `cvs` print.
    pub fn to_plain(&self) -> String {
        let mut s = String::new();
        self.write(&mut s, false, 0);
        s
    }
    /// The text `==` and `pcvs` print: readable back as SLI where possible.
    pub fn to_syntax(&self) -> String {
        let mut s = String::new();
        self.write(&mut s, true, 0);
        s
    }
    fn write(&self, out: &mut String, syntax: bool, depth: usize) {
        if depth > 64 {
            out.push_str("...");
            return;
        }
        match self {
            Obj::Int(i) => {
                let _ = write!(out, "{i}");
            }
            Obj::Double(x) => {
                let s = fmt_g(*x, 6);
                out.push_str(&s);
                if syntax && x.is_finite() && !s.contains(['.', 'e']) {
                    out.push('.');
                }
            }
            Obj::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Obj::Str(s) => {
                if syntax {
                    out.push('(');
                    for c in s.chars() {
                        match c {
                            '\n' => out.push_str("\\n"),
                            '\t' => out.push_str("\\t"),
                            '\\' => out.push_str("\\\\"),
                            '(' => out.push_str("\\("),
                            ')' => out.push_str("\\)"),
                            c => out.push(c),
                        }
                    }
                    out.push(')');
                } else {
                    out.push_str(s)
                }
            }
            Obj::Name(n) => out.push_str(&n.name()),
            Obj::Literal(n) => {
                if syntax {
                    out.push('/');
                }
                out.push_str(&n.name())
            }
            Obj::Array(a) => {
                if !syntax {
                    out.push_str("<arraytype>");
                    return;
                }
                out.push('[');
                for (i, x) in a.iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    x.write(out, syntax, depth + 1);
                }
                out.push(']');
            }
            Obj::Proc(p) | Obj::LitProc(p) => {
                if !syntax {
                    out.push_str("<proceduretype>");
                    return;
                }
                out.push('{');
                for (i, x) in p.items.iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    x.write(out, syntax, depth + 1);
                }
                out.push('}');
            }
            Obj::Dict(d) => {
                if !syntax {
                    out.push_str("<dictionarytype>");
                    return;
                }
                out.push_str("<<");
                let d = d.borrow();
                let mut keys: Vec<(Rc<str>, &Obj)> = d.iter().map(|(k, v)| (k.name(), v)).collect();
                keys.sort_by(|a, b| a.0.cmp(&b.0));
                for (k, v) in keys {
                    let _ = write!(out, " /{k} ");
                    v.write(out, syntax, depth + 1);
                }
                out.push_str(" >>");
            }
            Obj::Mark => out.push_str("<marktype>"),
            Obj::Builtin(b) => {
                if syntax {
                    out.push_str(b.name)
                } else {
                    let _ = write!(out, "<functiontype {}>", b.name);
                }
            }
            Obj::Trie(t) => match t.borrow().name {
                Some(n) if syntax => out.push_str(&n.name()),
                _ => out.push_str("<trietype>"),
            },
            // Plain printing (`=`, `cvs`, `<-`) gives NEST's number, as NEST's unit words are just
            // `cvd` there and scripts append the unit text themselves; syntax printing (`==`,
            // `pcvs`) shows the unit and reads back as the same quantity.
            Obj::Quantity(q) => {
                if syntax {
                    write_quantity(out, q)
                } else {
                    out.push_str(&fmt_g(crate::builtins::units::to_canonical(q), 6))
                }
            }
            Obj::Nodes(n) => {
                let _ = write!(out, "{n}");
            }
            Obj::Conn(c) => {
                let _ = write!(out, "<connection {} -> {} {}>", c.source, c.target, c.synapse_model);
            }
            Obj::OStream(_) | Obj::Stream(_) => out.push_str("<ostreamtype>"),
            Obj::Param(p) => match &**p {
                ParamSpec::Constant(x) => {
                    let _ = write!(out, "<parametertype constant {}>", fmt_g(*x, 6));
                }
                ParamSpec::Random(d) => {
                    let name = match d.get("distribution") {
                        Some(nestor_kernel::Value::Str(s)) => s.as_str(),
                        _ => "?",
                    };
                    let _ = write!(out, "<parametertype {name}>");
                }
            },
        }
    }
}

/// A dimensionless dimension check helper.
pub fn is_dimensionless(d: Dim) -> bool {
    d == Dim::NONE
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn g_format_like_cpp() {
        assert_eq!(fmt_g(1.0, 6), "1");
        assert_eq!(fmt_g(1.234567891, 6), "1.23457");
        assert_eq!(fmt_g(-32.38763534, 6), "-32.3876");
        assert_eq!(fmt_g(1e-5, 6), "1e-05");
        assert_eq!(fmt_g(1234567.0, 6), "1.23457e+06");
        assert_eq!(fmt_g(0.1, 6), "0.1");
        assert_eq!(fmt_g(100000.0, 6), "100000");
    }
}
