//! Control flow, definitions, the dictionary stack, errors and running files.

use crate::bi;
use crate::eval::{Frame, Interp, IterKind, SliErr, R};
use crate::value::{Builtin, Obj, Proc, Sym, Trie};
use std::cell::RefCell;
use std::rc::Rc;

fn iff(i: &mut Interp) -> R {
    i.need(2)?;
    let p = i.at(0).clone();
    let c = i.bool_at(1)?;
    i.popn(2);
    if c {
        i.push_body(p);
    }
    Ok(())
}
fn ifelse(i: &mut Interp) -> R {
    i.need(3)?;
    let c = i.bool_at(2)?;
    let (a, b) = (i.at(1).clone(), i.at(0).clone());
    i.popn(3);
    i.push_body(if c { a } else { b });
    Ok(())
}
fn repeat(i: &mut Interp) -> R {
    i.need(2)?;
    let p = i.proc_at(0)?;
    let n = i.int_at(1)?;
    i.popn(2);
    i.push_loop(p, IterKind::Repeat(n));
    Ok(())
}
fn for_(i: &mut Interp) -> R {
    i.need(4)?;
    let p = i.proc_at(0)?;
    let kind = match (i.at(3), i.at(2), i.at(1)) {
        (Obj::Int(a), Obj::Int(s), Obj::Int(b)) => IterKind::ForInt { cur: *a, inc: *s, lim: *b },
        _ => IterKind::ForDbl { cur: i.num_at(3)?, inc: i.num_at(2)?, lim: i.num_at(1)? },
    };
    i.popn(4);
    i.push_loop(p, kind);
    Ok(())
}
/// The items a `forall`-like operator iterates over and how many it pushes per step.
pub fn iter_items(o: &Obj) -> R<(Rc<Vec<Obj>>, usize)> {
    Ok(match o {
        Obj::Array(a) => (a.clone(), 1),
        Obj::Proc(p) | Obj::LitProc(p) => (Rc::new(p.items.clone()), 1),
        Obj::Str(s) => (Rc::new(s.chars().map(|c| Obj::Int(c as i64)).collect()), 1),
        Obj::Dict(d) => {
            let d = d.borrow();
            let mut kv: Vec<(Rc<str>, Sym, Obj)> = d.iter().map(|(k, v)| (k.name(), *k, v.clone())).collect();
            kv.sort_by(|a, b| a.0.cmp(&b.0));
            (Rc::new(kv.into_iter().flat_map(|(_, k, v)| [Obj::Literal(k), v]).collect()), 2)
        }
        Obj::Nodes(n) => (Rc::new(n.iter().map(|x| Obj::Int(x as i64)).collect()), 1),
        o => return Err(SliErr::arg_type(format!("cannot iterate over {}", o.type_name()))),
    })
}
fn forall(i: &mut Interp) -> R {
    i.need(2)?;
    let p = i.proc_at(0)?;
    let (items, per) = iter_items(i.at(1))?;
    i.popn(2);
    i.push_loop(p, IterKind::Forall { items, i: 0, per, indexed: false });
    Ok(())
}
fn forallindexed(i: &mut Interp) -> R {
    i.need(2)?;
    let p = i.proc_at(0)?;
    let (items, per) = iter_items(i.at(1))?;
    i.popn(2);
    i.push_loop(p, IterKind::Forall { items, i: 0, per, indexed: true });
    Ok(())
}
fn loop_(i: &mut Interp) -> R {
    i.need(1)?;
    let p = i.proc_at(0)?;
    i.popn(1);
    i.push_loop(p, IterKind::Loop);
    Ok(())
}
fn exit(i: &mut Interp) -> R {
    let pos = i.estack.iter().rposition(|f| matches!(f, Frame::Iter { .. } | Frame::Stopped));
    match pos {
        Some(p) if matches!(i.estack[p], Frame::Iter { .. }) => {
            i.estack.truncate(p);
            Ok(())
        }
        _ => Err(SliErr::new("InvalidExitError", "exit was called outside of a loop")),
    }
}
fn exec(i: &mut Interp) -> R {
    i.need(1)?;
    let o = i.at(0).clone();
    i.popn(1);
    match o {
        Obj::Str(s) => {
            let p = crate::builtins::strings::parse_to_proc(&s)?;
            i.push_body(Obj::Proc(p));
        }
        Obj::Literal(_) | Obj::Array(_) | Obj::Int(_) | Obj::Double(_) | Obj::Bool(_) | Obj::Dict(_) => i.push(o),
        o => i.estack.push(Frame::Obj(o)),
    }
    Ok(())
}
fn stopped(i: &mut Interp) -> R {
    i.need(1)?;
    let p = i.at(0).clone();
    i.popn(1);
    i.estack.push(Frame::Stopped);
    match p {
        Obj::Proc(_) | Obj::Builtin(_) | Obj::Trie(_) | Obj::Name(_) => i.push_body(p),
        o => i.push(o),
    }
    Ok(())
}
fn stop(_i: &mut Interp) -> R {
    Err(SliErr::new("\u{0}stop", ""))
}
fn raiseerror(i: &mut Interp) -> R {
    i.need(2)?;
    let e = i.sym_at(0)?;
    let c = i.sym_at(1)?;
    i.popn(2);
    let msg = match i.errordict.borrow().get(&Sym::new("message")) {
        Some(Obj::Str(s)) if false => s.to_string(),
        _ => String::new(),
    };
    Err(SliErr { name: e.name().to_string(), message: format!("\u{1}{c}\u{1}{msg}") })
}
fn handleerror(i: &mut Interp) -> R {
    let newerror = matches!(i.errordict.borrow().get(&Sym::new("newerror")), Some(Obj::Bool(true)));
    if newerror {
        let text = match &i.last_error {
            Some(info) => crate::diag::render(&i.sources, info, false),
            None => "error\n".to_string(),
        };
        i.eprint(&text);
        i.errordict.borrow_mut().insert(Sym::new("newerror"), Obj::Bool(false));
    } else {
        i.eprint("\n Software Interrupt \n");
    }
    Ok(())
}
fn quit(_i: &mut Interp) -> R {
    Err(SliErr::new("\u{0}quit", "0"))
}
fn quit_i(i: &mut Interp) -> R {
    i.need(1)?;
    let c = i.int_at(0)?;
    i.popn(1);
    Err(SliErr::new("\u{0}quit", c.to_string()))
}

/// Finds a file for `run`: as given, with `.sli`, next to the running file, in `NESTOR_SLI_PATH`.
fn find_file(i: &Interp, name: &str) -> Option<std::path::PathBuf> {
    let mut dirs: Vec<std::path::PathBuf> = vec![std::path::PathBuf::new()];
    if let Some(loc) = i.cur_loc {
        if let Some(parent) = std::path::Path::new(&i.sources[loc.file as usize].name).parent() {
            dirs.push(parent.to_path_buf());
        }
    }
    if let Ok(p) = std::env::var("NESTOR_SLI_PATH") {
        dirs.extend(std::env::split_paths(&p));
    }
    for d in dirs {
        for cand in [d.join(name), d.join(format!("{name}.sli"))] {
            if cand.is_file() {
                return Some(cand);
            }
        }
    }
    None
}

/// Loads and schedules a source text: a library name (unittest) or a file.
pub fn run_file(i: &mut Interp, name: &str) -> R {
    let (label, text) = if name == "unittest" || name == "unittest.sli" {
        ("<unittest library>".to_string(), crate::builtins::UNITTEST_SLI.to_string())
    } else if name == "arraylib" || name == "arraylib.sli" {
        ("<arraylib library>".to_string(), crate::builtins::ARRAYLIB_SLI.to_string())
    } else if i.sandbox {
        return Err(SliErr::new("FileNotFound", "files are not available in the sandbox"));
    } else {
        match find_file(i, name) {
            Some(p) => {
                let t = std::fs::read_to_string(&p)
                    .map_err(|e| SliErr::new("FileOpenError", format!("cannot read '{}': {e}", p.display())))?;
                (p.display().to_string(), t)
            }
            None => return Err(SliErr::new("FileNotFound", format!("no file '{name}' (also tried '{name}.sli')"))),
        }
    };
    match i.compile(&label, &text) {
        Ok(p) => {
            i.push_body(Obj::Proc(p));
            Ok(())
        }
        Err(info) => {
            i.cur_loc = info.loc;
            Err(SliErr::new("SyntaxError", info.message))
        }
    }
}
fn run(i: &mut Interp) -> R {
    i.need(1)?;
    let s = i.str_at(0)?;
    run_file(i, &s)?;
    i.popn(1);
    // run_file pushed the body; the argument is gone.
    Ok(())
}
fn require(i: &mut Interp) -> R {
    // /name (version) require  or  (name) require
    i.need(1)?;
    if i.ostack.len() >= 2 && matches!(i.at(1), Obj::Literal(_)) && matches!(i.at(0), Obj::Str(_)) {
        let n = i.sym_at(1)?.name().to_string();
        i.popn(2);
        if i.loaded.contains(&n) {
            return Ok(());
        }
        i.loaded.push(n.clone());
        return run_file(i, &n);
    }
    let s = match i.at(0) {
        Obj::Str(s) => s.to_string(),
        Obj::Literal(s) => s.name().to_string(),
        o => return Err(SliErr::arg_type(format!("require: expected a name, got {}", o.type_name()))),
    };
    i.popn(1);
    if i.loaded.contains(&s) {
        return Ok(());
    }
    i.loaded.push(s.clone());
    run_file(i, &s)
}

fn is_sig(a: &[Obj]) -> bool {
    !a.is_empty() && a.iter().all(|o| matches!(o, Obj::Literal(s) if s.name().ends_with("type")))
}
fn def_in(i: &mut Interp, d: &crate::value::DictRef, key: Sym, v: Obj) {
    let _ = i;
    d.borrow_mut().insert(key, v);
}
fn def(i: &mut Interp) -> R {
    i.need(2)?;
    if i.ostack.len() >= 3 {
        if let (Obj::Literal(name), Obj::Array(sig)) = (i.at(2).clone(), i.at(1).clone()) {
            if is_sig(&sig) {
                let imp = i.at(0).clone();
                let sig: Vec<Sym> =
                    sig.iter().map(|o| if let Obj::Literal(s) = o { *s } else { unreachable!() }).collect();
                let cur = i.dstack.last().expect("dstack").clone();
                let existing = cur.borrow().get(&name).cloned();
                let trie = match existing {
                    Some(Obj::Trie(t)) => t,
                    _ => {
                        let t = Rc::new(RefCell::new(Trie { name: Some(name), entries: Vec::new() }));
                        cur.borrow_mut().insert(name, Obj::Trie(t.clone()));
                        t
                    }
                };
                {
                    let mut t = trie.borrow_mut();
                    t.entries.retain(|(s, _)| *s != sig);
                    // Longer signatures first so they win over shorter ones.
                    t.entries.push((sig, imp));
                    t.entries.sort_by_key(|e| std::cmp::Reverse(e.0.len()));
                }
                i.popn(3);
                return Ok(());
            }
        }
    }
    let key = match i.at(1) {
        Obj::Literal(s) => *s,
        o => return Err(SliErr::arg_type(format!("def: the key must be a literal name, got {}", o.type_name()))),
    };
    let v = i.at(0).clone();
    let d = i.dstack.last().expect("dstack").clone();
    def_in(i, &d, key, v);
    i.popn(2);
    Ok(())
}
fn set(i: &mut Interp) -> R {
    i.need(2)?;
    let key = match i.at(0) {
        Obj::Literal(s) => *s,
        o => return Err(SliErr::arg_type(format!("Set: the key must be a literal name, got {}", o.type_name()))),
    };
    let v = i.at(1).clone();
    let d = i.dstack.last().expect("dstack").clone();
    def_in(i, &d, key, v);
    i.popn(2);
    Ok(())
}
fn load(i: &mut Interp) -> R {
    i.need(1)?;
    let s = i.sym_at(0)?;
    match i.lookup(s) {
        Some(v) => i.ret(1, v),
        None => Err(SliErr::new("UndefinedName", format!("'{s}' is not defined{}", i.suggest(&s.name())))),
    }
}
fn lookup(i: &mut Interp) -> R {
    i.need(1)?;
    let s = i.sym_at(0)?;
    match i.lookup(s) {
        Some(v) => {
            i.ret(1, v)?;
            i.push(Obj::Bool(true));
        }
        None => i.ret(1, Obj::Bool(false))?,
    }
    Ok(())
}
fn begin(i: &mut Interp) -> R {
    i.need(1)?;
    let d = i.dict_at(0)?;
    i.popn(1);
    i.dstack.push(d);
    Ok(())
}
fn end(i: &mut Interp) -> R {
    if i.dstack.len() <= 2 {
        return Err(SliErr::new("DictStackUnderflow", "end: only systemdict and userdict are open"));
    }
    i.dstack.pop();
    Ok(())
}
fn currentdict(i: &mut Interp) -> R {
    let d = i.dstack.last().expect("dstack").clone();
    i.push(Obj::Dict(d));
    Ok(())
}
fn countdictstack(i: &mut Interp) -> R {
    let n = i.dstack.len() as i64;
    i.push(Obj::Int(n));
    Ok(())
}
fn using(i: &mut Interp) -> R {
    i.need(1)?;
    let d = match i.at(0) {
        Obj::Dict(d) => d.clone(),
        Obj::Literal(s) => match i.lookup(*s) {
            Some(Obj::Dict(d)) => d,
            Some(o) => {
                return Err(SliErr::new(
                    "TypeMismatch",
                    format!("using: '{s}' is a {}, not a dictionary", o.type_name()),
                ))
            }
            None => return Err(SliErr::new("UndefinedName", format!("using: no namespace '{s}'"))),
        },
        o => return Err(SliErr::arg_type(format!("using: expected a dictionary or name, got {}", o.type_name()))),
    };
    i.popn(1);
    let cur = i.dstack.last().expect("dstack").clone();
    i.dstack.push(d);
    i.dstack.push(cur);
    Ok(())
}
fn endusing(i: &mut Interp) -> R {
    if i.dstack.len() <= 3 {
        return Err(SliErr::new("DictStackUnderflow", "endusing without using"));
    }
    i.dstack.pop();
    i.dstack.pop();
    Ok(())
}
fn namespace(i: &mut Interp) -> R {
    i.need(1)?;
    let s = i.sym_at(0)?;
    let cur = i.dstack.last().expect("dstack").clone();
    let d = match cur.borrow().get(&s) {
        Some(Obj::Dict(d)) => Some(d.clone()),
        Some(o) => return Err(SliErr::new("TypeMismatch", format!("namespace: '{s}' is a {}", o.type_name()))),
        None => None,
    };
    let d = d.unwrap_or_else(|| {
        let d = Obj::new_dict();
        cur.borrow_mut().insert(s, Obj::Dict(d.clone()));
        d
    });
    i.popn(1);
    i.dstack.push(d);
    Ok(())
}
fn call(i: &mut Interp) -> R {
    // dict /name call: execute name with dict pushed on the dictionary stack (NEST's object
    // members see the object's other entries), then pop it again.
    i.need(2)?;
    let s = i.sym_at(0)?;
    let d = i.dict_at(1)?;
    let v = d.borrow().get(&s).cloned();
    match v {
        Some(v) => {
            let end = BUILTINS
                .iter()
                .find(|b| b.name == "end")
                .ok_or_else(|| SliErr::new("SystemError", "call: the builtin 'end' is missing"))?;
            i.popn(2);
            i.dstack.push(d);
            i.estack.push(Frame::Obj(Obj::Builtin(end)));
            i.estack.push(Frame::Obj(v));
            Ok(())
        }
        None => Err(SliErr::new("UnknownMember", format!("call: '{s}' is not in the dictionary"))),
    }
}
fn colons(i: &mut Interp) -> R {
    // A/B/name :: — names are literals on the stack above a dictionary.
    let mut path = Vec::new();
    let mut k = 0;
    loop {
        if k >= i.ostack.len() {
            return Err(SliErr::underflow(k + 1, i.ostack.len()));
        }
        match i.at(k) {
            Obj::Literal(s) => path.push(*s),
            Obj::Dict(_) => break,
            o => {
                return Err(SliErr::arg_type(format!(
                    ":: expected a dictionary below the names, got {}",
                    o.type_name()
                )))
            }
        }
        k += 1;
    }
    if path.is_empty() {
        return Err(SliErr::arg_type(":: needs at least one name after the dictionary"));
    }
    path.reverse();
    let mut d = i.dict_at(k)?;
    let last = path.len() - 1;
    for (n, s) in path.iter().enumerate() {
        let v = d.borrow().get(s).cloned();
        match v {
            Some(Obj::Dict(dd)) if n < last => d = dd,
            Some(v) if n == last => {
                i.popn(k + 1);
                i.estack.push(Frame::Obj(match v {
                    Obj::Proc(_) | Obj::Builtin(_) | Obj::Trie(_) => v,
                    other => {
                        i.push(other);
                        return Ok(());
                    }
                }));
                return Ok(());
            }
            _ => return Err(SliErr::new("UnknownMember", format!(":: '{s}' is not in the namespace"))),
        }
    }
    Ok(())
}
fn bind_proc(i: &Interp, p: &Proc, depth: usize) -> Proc {
    let items = p
        .items
        .iter()
        .map(|o| match o {
            Obj::Name(s) => match i.lookup(*s) {
                Some(b @ Obj::Builtin(_)) => b,
                _ => o.clone(),
            },
            Obj::Proc(q) if depth < 100 => Obj::Proc(Rc::new(bind_proc(i, q, depth + 1))),
            _ => o.clone(),
        })
        .collect();
    Proc { items, spans: p.spans.clone(), file: p.file }
}
fn bind(i: &mut Interp) -> R {
    i.need(1)?;
    if let Obj::Proc(p) = i.at(0) {
        let b = bind_proc(i, p, 0);
        return i.ret(1, Obj::Proc(Rc::new(b)));
    }
    Ok(())
}
fn tic(i: &mut Interp) -> R {
    TIC.with(|t| t.set(Some(std::time::Instant::now())));
    let _ = i;
    Ok(())
}
thread_local! {
    static TIC: std::cell::Cell<Option<std::time::Instant>> = const { std::cell::Cell::new(None) };
}
fn toc(i: &mut Interp) -> R {
    let s = TIC.with(|t| t.get()).map_or(0.0, |t| t.elapsed().as_secs_f64());
    i.push(Obj::Double(s));
    Ok(())
}
fn realtime(i: &mut Interp) -> R {
    let s = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64());
    i.push(Obj::Double(s));
    Ok(())
}
fn time(i: &mut Interp) -> R {
    let s = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    i.push(Obj::Int(s as i64));
    Ok(())
}
fn run_child(i: &mut Interp) -> R {
    i.need(1)?;
    let code = i.str_at(0)?;
    if !i.allow_spawn {
        return i.ret(1, Obj::Int(126));
    }
    let exe = std::env::current_exe().map_err(|e| SliErr::new("IOError", e.to_string()))?;
    // In test binaries current_exe is the test runner; NESTOR_EXE names the real binary.
    let exe = std::env::var("NESTOR_EXE").map(std::path::PathBuf::from).unwrap_or(exe);
    let out = std::process::Command::new(exe)
        .args(["--quiet", "-c", &code])
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| SliErr::new("IOError", format!("cannot start a child interpreter: {e}")))?;
    let rc = out.status.code().unwrap_or(134);
    i.ret(1, Obj::Int(rc as i64))
}
fn getenv(i: &mut Interp) -> R {
    i.need(1)?;
    let k = i.str_at(0)?;
    match std::env::var(k.as_str()) {
        Ok(v) => {
            i.ret(1, Obj::str(v))?;
            i.push(Obj::Bool(true));
            Ok(())
        }
        Err(_) => i.ret(1, Obj::Bool(false)),
    }
}
fn make_directory(i: &mut Interp) -> R {
    i.need(1)?;
    let d = i.str_at(0)?;
    let ok = !i.sandbox && std::fs::create_dir_all(d.as_str()).is_ok();
    i.ret(1, Obj::Bool(ok))
}
fn case(i: &mut Interp) -> R {
    // bool proc case -> proc (if true) ; used with switch
    i.need(2)?;
    let c = i.bool_at(1)?;
    let p = i.at(0).clone();
    i.popn(2);
    if c {
        i.push(p);
        i.push(Obj::lit("\u{2}case_taken"));
    }
    Ok(())
}
fn switch(i: &mut Interp) -> R {
    // mark ... proc /taken ... switch: run the first taken case
    let n = crate::builtins::stack::counttomark_n(i)?;
    let l = i.ostack.len();
    let items: Vec<Obj> = i.ostack[l - n..].to_vec();
    i.popn(n + 1);
    let taken = Sym::new("\u{2}case_taken");
    let mut k = 0;
    while k < items.len() {
        if k + 1 < items.len() && matches!(items[k + 1], Obj::Literal(s) if s == taken) {
            i.push_body(items[k].clone());
            return Ok(());
        }
        k += 1;
    }
    Ok(())
}
fn switchdefault(i: &mut Interp) -> R {
    let n = crate::builtins::stack::counttomark_n(i)?;
    let l = i.ostack.len();
    let items: Vec<Obj> = i.ostack[l - n..].to_vec();
    i.popn(n + 1);
    let taken = Sym::new("\u{2}case_taken");
    let mut k = 0;
    while k < items.len() {
        if k + 1 < items.len() && matches!(items[k + 1], Obj::Literal(s) if s == taken) {
            i.push_body(items[k].clone());
            return Ok(());
        }
        k += 1;
    }
    if let Some(d) = items.last() {
        i.push_body(d.clone());
    }
    Ok(())
}

/// Control-flow and definition operators.
pub static BUILTINS: &[Builtin] = &[
    bi!("if", iff, "bool proc if -> -", "true {(yes) =} if", "ifelse, case"),
    bi!("ifelse", ifelse, "bool proc1 proc2 ifelse -> -", "1 2 lt {(a)} {(b)} ifelse -> (a)", "if"),
    bi!("repeat", repeat, "int proc repeat -> -", "0 3 {1 add} repeat -> 3", "for, loop, exit"),
    bi!("for", for_, "start inc stop proc for -> -", "0 1 1 4 {add} for -> 10", "repeat, forall, Range"),
    bi!(
        "forall",
        forall,
        "array|string|dict|nodes proc forall -> -",
        "0 [1 2 3] {add} forall -> 6",
        "forallindexed, Map"
    ),
    bi!(
        "forallindexed",
        forallindexed,
        "array proc forallindexed -> -",
        "[5 6] {} forallindexed -> 5 0 6 1",
        "forall, MapIndexed"
    ),
    bi!("loop", loop_, "proc loop -> -", "0 {1 add dup 5 eq {exit} if} loop -> 5", "exit, repeat"),
    bi!("exit", exit, "exit -> -", "{exit} loop", "loop, repeat, for, forall"),
    bi!("exec", exec, "any exec -> result", "{1 2 add} exec -> 3", "cvx, stopped"),
    bi!(
        "stopped",
        stopped,
        "proc stopped -> bool",
        "{1 0 div} stopped -> 1 0 /div true",
        "stop, raiseerror, errordict"
    ),
    bi!("stop", stop, "stop -> -", "{stop} stopped -> true", "stopped"),
    bi!(
        "raiseerror",
        raiseerror,
        "/command /errorname raiseerror -> /command",
        "{/f /MyError raiseerror} stopped",
        "stopped, handleerror, errordict"
    ),
    bi!("handleerror", handleerror, "handleerror -> -", "{1 0 div} stopped {handleerror} if", "stopped, errordict"),
    bi!("quit", quit, "quit -> -", "quit", "quit_i"),
    bi!("quit_i", quit_i, "int quit_i -> -", "3 quit_i", "quit"),
    bi!("run", run, "string run -> -", "(script.sli) run", "require, exec"),
    bi!("require", require, "/name (version) require -> -", "/unittest (1) require", "run"),
    bi!("def", def, "/name any def -> -", "/x 5 def x -> 5", "Set, load, undef"),
    bi!("Set", set, "any /name Set -> -", "5 /x Set x -> 5", "def"),
    bi!("load", load, "/name load -> any", "/x 5 def /x load -> 5", "lookup, def"),
    bi!("lookup", lookup, "/name lookup -> any true | false", "/nosuch lookup -> false", "load, known"),
    bi!("begin", begin, "dict begin -> -", "<< /a 1 >> begin a end -> 1", "end, using"),
    bi!("end", end, "end -> -", "<< >> begin end", "begin"),
    bi!("currentdict", currentdict, "currentdict -> dict", "currentdict", "begin, userdict"),
    bi!("countdictstack", countdictstack, "countdictstack -> int", "countdictstack -> 2", "begin"),
    bi!("using", using, "/namespace using -> -", "/unittest using", "endusing, namespace"),
    bi!("endusing", endusing, "endusing -> -", "/unittest using endusing", "using"),
    bi!("namespace", namespace, "/name namespace -> -", "/A namespace /x 1 def end", "using, ::"),
    bi!("call", call, "dict /name call -> -", "<< /f {1} >> /f call -> 1", "::, using"),
    bi!("::", colons, "dict /a /b :: -> value", "statusdict/exitcodes/scripterror :: -> 126", "call, get"),
    bi!("bind", bind, "proc bind -> proc", "{1 2 add} bind", "def"),
    bi!("tic", tic, "tic -> -", "tic 1 1 add toc", "toc"),
    bi!("toc", toc, "toc -> seconds", "tic toc", "tic, realtime"),
    bi!("realtime", realtime, "realtime -> seconds", "realtime", "tic"),
    bi!("time", time, "time -> int", "time", "realtime"),
    bi!(
        ":run_child",
        run_child,
        "(code) :run_child -> exitcode",
        "({1 0 div}) :run_child -> 126",
        "failbutnocrash_or_die"
    ),
    bi!("getenv", getenv, "(NAME) getenv -> (value) true | false", "(HOME) getenv", "MakeDirectory"),
    bi!(
        "MakeDirectory",
        make_directory,
        "(dir) MakeDirectory -> bool (creates parents too)",
        "(out) MakeDirectory pop",
        "getenv"
    ),
    bi!("case", case, "bool proc case -> -", "mark true {1} case false {2} case switch -> 1", "switch"),
    bi!("switch", switch, "mark ... switch -> -", "mark true {1} case switch -> 1", "case, switchdefault"),
    bi!(
        "switchdefault",
        switchdefault,
        "mark ... default switchdefault -> -",
        "mark false {1} case {2} switchdefault -> 2",
        "switch"
    ),
];
