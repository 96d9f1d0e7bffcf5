//! Strings, conversions, printing, streams and messages.

use crate::bi;
use crate::eval::{short, Interp, SliErr, R};
use crate::value::{fmt_g, Builtin, Obj, Proc, StreamKind, Sym};
use std::cell::RefCell;
use std::rc::Rc;

/// Parses SLI text into a procedure without positions (for `cvx`, `exec` of strings, `cst`).
pub fn parse_to_proc(s: &str) -> R<Rc<Proc>> {
    let toks = crate::parser::parse(s).map_err(|e| SliErr::new("SyntaxError", e.message))?;
    let mut p = Interp::tokens_to_proc(&toks, 0);
    p.spans = None;
    Ok(Rc::new(p))
}

fn plain_prec(o: &Obj, prec: usize) -> String {
    match o {
        Obj::Double(x) => fmt_g(*x, prec),
        o => o.to_plain(),
    }
}

fn eq_print(i: &mut Interp) -> R {
    i.need(1)?;
    let s = i.at(0).to_plain();
    i.popn(1);
    i.print(&(s + "\n"));
    Ok(())
}
fn eqeq_print(i: &mut Interp) -> R {
    i.need(1)?;
    let s = i.at(0).to_syntax();
    i.popn(1);
    i.print(&(s + "\n"));
    Ok(())
}
fn eq_only(i: &mut Interp) -> R {
    i.need(1)?;
    let s = i.at(0).to_plain();
    i.popn(1);
    i.print(&s);
    Ok(())
}
fn eqeq_only(i: &mut Interp) -> R {
    i.need(1)?;
    let s = i.at(0).to_syntax();
    i.popn(1);
    i.print(&s);
    Ok(())
}
fn write_stream(i: &mut Interp, syntax: bool) -> R {
    i.need(2)?;
    let o = i.at(0).clone();
    match i.at(1).clone() {
        Obj::OStream(s) => {
            let p = s.borrow().1;
            let t = if syntax { o.to_syntax() } else { plain_prec(&o, p) };
            i.check_size(s.borrow().0.len() + t.len())?;
            s.borrow_mut().0.push_str(&t);
        }
        Obj::Stream(k) => {
            let t = if syntax { o.to_syntax() } else { o.to_plain() };
            if k == StreamKind::Cout {
                i.print(&t)
            } else {
                i.eprint(&t)
            }
        }
        o => return Err(SliErr::arg_type(format!("<-: expected an output stream, got {}", o.type_name()))),
    }
    i.popn(1);
    Ok(())
}
fn larrow(i: &mut Interp) -> R {
    write_stream(i, false)
}
fn larrow2(i: &mut Interp) -> R {
    write_stream(i, true)
}
fn endl(i: &mut Interp) -> R {
    i.need(1)?;
    match i.at(0).clone() {
        Obj::OStream(s) => s.borrow_mut().0.push('\n'),
        Obj::Stream(StreamKind::Cout) => i.print("\n"),
        Obj::Stream(StreamKind::Cerr) => i.eprint("\n"),
        o => return Err(SliErr::arg_type(format!("endl: expected an output stream, got {}", o.type_name()))),
    }
    Ok(())
}
fn flush(i: &mut Interp) -> R {
    i.need(1)?;
    use std::io::Write;
    let _ = std::io::stdout().flush();
    Ok(())
}
fn print(i: &mut Interp) -> R {
    eq_only(i)
}
fn osstream(i: &mut Interp) -> R {
    i.push(Obj::OStream(Rc::new(RefCell::new((String::new(), 6)))));
    i.push(Obj::Bool(true));
    Ok(())
}
fn str_(i: &mut Interp) -> R {
    i.need(1)?;
    match i.at(0).clone() {
        Obj::OStream(s) => {
            let t = s.borrow().0.clone();
            i.ret(1, Obj::str(t))
        }
        o => Err(SliErr::arg_type(format!("str: expected a string stream, got {}", o.type_name()))),
    }
}
fn setprecision(i: &mut Interp) -> R {
    i.need(2)?;
    let p = i.int_at(0)?;
    if let Obj::OStream(s) = i.at(1) {
        s.borrow_mut().1 = p.clamp(1, 17) as usize;
    }
    i.popn(1);
    Ok(())
}
fn cvs(i: &mut Interp) -> R {
    i.need(1)?;
    let s = i.at(0).to_plain();
    i.ret(1, Obj::str(s))
}
fn pcvs(i: &mut Interp) -> R {
    i.need(1)?;
    let s = i.at(0).to_syntax();
    i.ret(1, Obj::str(s))
}
fn parse_number(s: &str) -> Option<Obj> {
    let t = s.trim();
    if let Ok(x) = t.parse::<i64>() {
        return Some(Obj::Int(x));
    }
    t.parse::<f64>().ok().map(Obj::Double)
}
fn cvi(i: &mut Interp) -> R {
    i.need(1)?;
    let r = match i.at(0) {
        Obj::Int(x) => Obj::Int(*x),
        Obj::Double(x) => Obj::Int(*x as i64),
        Obj::Bool(b) => Obj::Int(*b as i64),
        Obj::Quantity(q) => Obj::Int(crate::builtins::units::to_canonical(q) as i64),
        Obj::Str(s) => match parse_number(s) {
            Some(Obj::Int(x)) => Obj::Int(x),
            Some(Obj::Double(x)) => Obj::Int(x as i64),
            // As NEST: a string that is not a number converts to 0.
            _ => Obj::Int(0),
        },
        o => return Err(SliErr::arg_type(format!("cvi: cannot convert {} {}", o.type_name(), short(o)))),
    };
    i.ret(1, r)
}
fn cvd(i: &mut Interp) -> R {
    i.need(1)?;
    let r = match i.at(0) {
        Obj::Int(x) => *x as f64,
        Obj::Double(x) => *x,
        Obj::Quantity(q) => crate::builtins::units::to_canonical(q),
        Obj::Str(s) => match parse_number(s) {
            Some(o) => o.as_num().unwrap_or(f64::NAN),
            None => return Err(SliErr::arg_type(format!("cvd: '{s}' is not a number"))),
        },
        o => return Err(SliErr::arg_type(format!("cvd: cannot convert {} {}", o.type_name(), short(o)))),
    };
    i.ret(1, Obj::Double(r))
}
fn cst(i: &mut Interp) -> R {
    i.need(1)?;
    let s = i.str_at(0)?;
    let p = parse_to_proc(&s)?;
    i.ret(1, Obj::array(p.items.clone()))
}
fn token(i: &mut Interp) -> R {
    i.need(1)?;
    let s = i.str_at(0)?;
    match crate::parser::parse(&s) {
        Ok(toks) if !toks.is_empty() => {
            let t = &toks[0];
            let rest = s[t.span.1 as usize..].to_string();
            let o = Interp::tokens_to_proc(std::slice::from_ref(t), 0).items.remove(0);
            i.ret(1, Obj::str(rest))?;
            i.push(o);
            i.push(Obj::Bool(true));
            Ok(())
        }
        Ok(_) => i.ret(1, Obj::Bool(false)),
        Err(e) => Err(SliErr::new("SyntaxError", e.message)),
    }
}
fn cvx(i: &mut Interp) -> R {
    i.need(1)?;
    let r = match i.at(0) {
        Obj::Array(a) => Obj::Proc(Rc::new(Proc { items: a.to_vec(), spans: None, file: 0 })),
        Obj::LitProc(p) => Obj::Proc(p.clone()),
        Obj::Literal(s) => Obj::Name(*s),
        Obj::Str(s) => Obj::Proc(parse_to_proc(s)?),
        o => o.clone(),
    };
    i.ret(1, r)
}
fn cvlit(i: &mut Interp) -> R {
    i.need(1)?;
    let r = match i.at(0) {
        Obj::Proc(p) => Obj::LitProc(p.clone()),
        Obj::Name(s) => Obj::Literal(*s),
        Obj::Str(s) => Obj::lit(s),
        o => o.clone(),
    };
    i.ret(1, r)
}
fn cvn(i: &mut Interp) -> R {
    i.need(1)?;
    let r = match i.at(0) {
        Obj::Str(s) => Obj::Name(Sym::new(s)),
        Obj::Literal(s) => Obj::Name(*s),
        o => return Err(SliErr::arg_type(format!("cvn: expected a string, got {}", o.type_name()))),
    };
    i.ret(1, r)
}
fn to_upper(i: &mut Interp) -> R {
    i.need(1)?;
    let s = i.str_at(0)?;
    i.ret(1, Obj::str(s.to_uppercase()))
}
fn to_lower(i: &mut Interp) -> R {
    i.need(1)?;
    let s = i.str_at(0)?;
    i.ret(1, Obj::str(s.to_lowercase()))
}
fn search(i: &mut Interp) -> R {
    // string seek search -> post match pre true | string false
    i.need(2)?;
    let seek = i.str_at(0)?;
    let s = i.str_at(1)?;
    match s.find(seek.as_str()) {
        Some(p) => {
            let (pre, post) = (s[..p].to_string(), s[p + seek.len()..].to_string());
            i.popn(2);
            i.push(Obj::str(post));
            i.push(Obj::str(seek.to_string()));
            i.push(Obj::str(pre));
            i.push(Obj::Bool(true));
            Ok(())
        }
        None => {
            i.popn(1);
            i.push(Obj::Bool(false));
            Ok(())
        }
    }
}
/// POSIX dirname.
pub fn dirname_of(s: &str) -> String {
    let t = s.trim_end_matches('/');
    if t.is_empty() {
        return if s.is_empty() { ".".into() } else { "/".into() };
    }
    match t.rfind('/') {
        None => ".".into(),
        Some(p) => {
            let d = t[..p].trim_end_matches('/');
            if d.is_empty() {
                "/".into()
            } else {
                d.to_string()
            }
        }
    }
}
fn dirname(i: &mut Interp) -> R {
    i.need(1)?;
    let s = i.str_at(0)?;
    i.ret(1, Obj::str(dirname_of(&s)))
}
fn level_name(l: i64) -> &'static str {
    match l {
        l if l >= 40 => "Fatal",
        l if l >= 30 => "Error",
        l if l >= 20 => "Warning",
        l if l >= 18 => "Deprecated",
        l if l >= 10 => "Info",
        l if l >= 7 => "Status",
        _ => "Debug",
    }
}
fn message(i: &mut Interp) -> R {
    // level (from) (text) message ; also (text) level message and level (text) message
    i.need(2)?;
    if matches!((i.at(1), i.at(0)), (Obj::Str(_), Obj::Int(_)) | (Obj::Int(_), Obj::Str(_)))
        && (i.ostack.len() < 3 || !matches!(i.at(2), Obj::Int(_)))
    {
        let (level, text) = match (i.at(1), i.at(0)) {
            (Obj::Str(t), Obj::Int(l)) | (Obj::Int(l), Obj::Str(t)) => (*l, t.to_string()),
            _ => unreachable!(),
        };
        i.popn(2);
        if level >= i.verbosity {
            let s = format!("[{}]: {}\n", level_name(level), text);
            i.eprint(&s);
        }
        return Ok(());
    }
    i.need(3)?;
    let text = i.at(0).to_plain();
    let from = i.at(1).to_plain();
    let level = i.int_at(2)?;
    i.popn(3);
    if level >= i.verbosity {
        let s = format!("{} [{}]: {}\n", from, level_name(level), text.replace('\n', "\n    "));
        i.eprint(&s);
    }
    Ok(())
}
fn setverbosity(i: &mut Interp) -> R {
    i.need(1)?;
    let l = i.int_at(0)?;
    i.verbosity = l;
    i.popn(1);
    Ok(())
}
fn verbosity(i: &mut Interp) -> R {
    let v = i.verbosity;
    i.push(Obj::Int(v));
    Ok(())
}
fn stack(i: &mut Interp) -> R {
    let s: String = i.ostack.iter().rev().map(|o| o.to_syntax() + "\n").collect();
    i.print(&s);
    Ok(())
}
fn to_unit_test_precision(i: &mut Interp) -> R {
    i.need(2)?;
    let p = i.int_at(0)?.clamp(1, 17) as usize;
    fn go(o: &Obj, p: usize) -> Obj {
        match o {
            Obj::Double(x) => parse_number(&fmt_g(*x, p)).unwrap_or(Obj::Double(*x)),
            Obj::Array(a) => Obj::array(a.iter().map(|x| go(x, p)).collect()),
            o => o.clone(),
        }
    }
    let r = go(i.at(1), p);
    i.ret(2, r)
}

/// Verbosity levels.
pub fn define_constants(i: &mut Interp) {
    for (n, v) in [
        ("M_ALL", 0),
        ("M_DEBUG", 5),
        ("M_STATUS", 7),
        ("M_INFO", 10),
        ("M_DEPRECATED", 18),
        ("M_WARNING", 20),
        ("M_ERROR", 30),
        ("M_FATAL", 40),
        ("M_QUIET", 100),
    ] {
        i.def_sys(n, Obj::Int(v));
    }
}

/// String, conversion and output operators.
pub static BUILTINS: &[Builtin] = &[
    bi!("=", eq_print, "any = -> -", "1.5 = prints 1.5", "==, =only, print"),
    bi!("==", eqeq_print, "any == -> -", "(a) == prints (a)", "=, ==only"),
    bi!("=only", eq_only, "any =only -> -", "(a) =only", "="),
    bi!("==only", eqeq_only, "any ==only -> -", "(a) ==only", "=="),
    bi!("print", print, "any print -> -", "(hi) print", "=only"),
    bi!("<-", larrow, "ostream any <- -> ostream", "cout (hi) <- endl", "<--, endl"),
    bi!("<--", larrow2, "ostream any <-- -> ostream", "cout [1] <-- endl", "<-"),
    bi!("endl", endl, "ostream endl -> ostream", "cout (hi) <- endl", "<-"),
    bi!("flush", flush, "ostream flush -> ostream", "cout flush", "endl"),
    bi!("osstream", osstream, "osstream -> ostream true", "osstream pop (a) <- str -> (a)", "str, <-"),
    bi!("str", str_, "ostream str -> string", "osstream pop 1 <- str -> (1)", "osstream"),
    bi!(
        "setprecision",
        setprecision,
        "ostream int setprecision -> ostream",
        "osstream pop 3 setprecision",
        "ToUnitTestPrecision"
    ),
    bi!("cvs", cvs, "any cvs -> string", "12 cvs -> (12)", "pcvs, cvi, cvd"),
    bi!("pcvs", pcvs, "any pcvs -> string (syntax form)", "{1 add} pcvs -> ({1 add})", "cvs"),
    bi!("cvi", cvi, "num|string cvi -> int", "3.7 cvi -> 3", "cvd, round"),
    bi!("cvd", cvd, "num|string|quantity cvd -> double", "3 cvd -> 3.", "cvi, unitless"),
    bi!("cst", cst, "string cst -> array of tokens", "(1 add) cst -> [1 add]", "token, cvx"),
    bi!("token", token, "string token -> rest token true | false", "(1 2) token -> ( 2) 1 true", "cst"),
    bi!("cvx", cvx, "array|literal|string cvx -> executable", "[1 2 /add cvx] cvx exec -> 3", "cvlit, exec"),
    bi!("cvlit", cvlit, "proc|name|string cvlit -> literal", "(a) cvlit -> /a", "cvx, cvn"),
    bi!("cvn", cvn, "string cvn -> name", "(add) cvn", "cvlit"),
    bi!("ToUppercase", to_upper, "string ToUppercase -> string", "(ab) ToUppercase -> (AB)", "ToLowercase"),
    bi!("ToLowercase", to_lower, "string ToLowercase -> string", "(AB) ToLowercase -> (ab)", "ToUppercase"),
    bi!("dirname", dirname, "(path) dirname -> (directory)", "(a/b/c) dirname -> (a/b)", "run"),
    bi!("search", search, "string seek search -> post match pre true | string false", "(abc) (b) search", "join"),
    bi!("message", message, "level (from) (text) message -> -", "M_INFO (me) (hello) message", "setverbosity"),
    bi!("setverbosity", setverbosity, "level setverbosity -> -", "M_ERROR setverbosity", "verbosity, message"),
    bi!("verbosity", verbosity, "verbosity -> level", "verbosity", "setverbosity"),
    bi!("stack", stack, "stack -> - (prints the operand stack, top first)", "1 2 stack", "pstack, count"),
    bi!("pstack", stack, "pstack -> - (prints the operand stack)", "1 2 pstack", "stack"),
    bi!(
        "ToUnitTestPrecision",
        to_unit_test_precision,
        "x n ToUnitTestPrecision -> x rounded",
        "7.83635342928 6 ToUnitTestPrecision -> 7.83635",
        "unittest"
    ),
];
