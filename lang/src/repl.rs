//! The interactive REPL (rustyline): persistent history, tab completion of operators, model
//! names and a model's parameter names, multi-line input while brackets or strings are open,
//! `help NAME` for operators and models (from the parameter schema), `stack`/`pstack`. Ctrl-C
//! cancels the input line, or interrupts running code (a Simulate stops at a slice boundary and
//! leaves the kernel consistent). An error never ends the session.

use crate::eval::{Interp, Outcome};
use crate::value::{Obj, Sym};
use nestor_kernel::model::Instance;
use rustyline::completion::{Completer, Pair};
use rustyline::error::ReadlineError;
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{Context, Helper};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

/// Help text for an operator or a model.
pub fn help_text(i: &Interp, name: &str) -> Option<String> {
    let name = name.trim_start_matches('/');
    if let Some(b) = i.builtins.iter().find(|b| b.name == name) {
        return Some(format!("{name}: {}\n", b.doc.replace('\n', "\n  ")));
    }
    let r = i.kernel.registry();
    if let Some(m) = r.models.iter().find(|m| m.name == name) {
        let mut s = format!("{name} ({}): {}\n", m.factory.kind().element_type(), m.factory.doc());
        if let Instance::Node(node) = m.factory.instantiate(1) {
            s.push_str("  parameter              unit     default        meaning\n");
            for p in node.table().specs() {
                s.push_str(&format!(
                    "  {:<22} {:<8} {:<14} {}{}\n",
                    p.name,
                    p.unit.symbol(),
                    crate::value::fmt_g(p.default, 6),
                    p.doc,
                    if p.read_only {
                        " (read-only)"
                    } else if p.state {
                        " (state)"
                    } else {
                        ""
                    }
                ));
            }
            for k in node.extra_keys() {
                s.push_str(&format!("  {k}\n"));
            }
            if !node.recordables().is_empty() {
                s.push_str(&format!("  recordables: {}\n", node.recordables().join(", ")));
            }
        } else if let Ok(d) = i.kernel.get_defaults(name) {
            s.push_str(&format!("  parameters: {}\n", d.keys().cloned().collect::<Vec<_>>().join(", ")));
        }
        return Some(s);
    }
    if let Some(sy) = r.synapses.iter().find(|m| m.name == name) {
        return Some(format!("{name} (synapse): {}\n  weight {}  delay {} ms\n", sy.base.doc(), sy.weight, sy.delay));
    }
    match i.lookup(Sym::new(name)) {
        Some(Obj::Proc(p)) => {
            Some(format!("{name}: procedure {}\n", crate::eval::truncate(&Obj::Proc(p).to_syntax(), 200)))
        }
        Some(o) => Some(format!("{name}: {} {}\n", o.type_name(), crate::eval::short(&o))),
        None => None,
    }
}

/// Words the completer offers.
#[derive(Default)]
pub struct Words {
    /// Operator and variable names.
    pub names: Vec<String>,
    /// Model name → its parameter names.
    pub params: BTreeMap<String, Vec<String>>,
}

/// Collects completion words from the interpreter.
pub fn collect_words(i: &Interp) -> Words {
    let mut names: Vec<String> = Vec::new();
    for d in &i.dstack {
        names.extend(d.borrow().keys().map(|k| k.name().to_string()));
    }
    let mut params = BTreeMap::new();
    let r = i.kernel.registry();
    let model_names: Vec<String> =
        r.models.iter().map(|m| m.name.clone()).chain(r.synapses.iter().map(|s| s.name.clone())).collect();
    for m in &model_names {
        if let Ok(d) = i.kernel.get_defaults(m) {
            params.insert(m.clone(), d.keys().cloned().collect());
        }
    }
    names.extend(model_names);
    names.sort();
    names.dedup();
    Words { names, params }
}

/// Completion candidates for the word that ends at `pos` in `line`.
pub fn complete(words: &Words, line: &str, pos: usize) -> (usize, Vec<String>) {
    let before = &line[..pos];
    let start = before.rfind(|c: char| c.is_whitespace() || "{}[]()".contains(c)).map_or(0, |p| p + 1);
    let word = &before[start..];
    let (prefix, stem) = match word.strip_prefix('/') {
        Some(s) => ("/", s),
        None => ("", word),
    };
    let mut out: Vec<String> = Vec::new();
    // Parameter names of models named earlier in the line come first.
    for (m, ps) in &words.params {
        if before.contains(&format!("/{m}")) {
            out.extend(ps.iter().filter(|p| p.starts_with(stem)).map(|p| format!("{prefix}{p}")));
        }
    }
    out.extend(words.names.iter().filter(|n| n.starts_with(stem)).map(|n| format!("{prefix}{n}")));
    out.dedup();
    (start, out)
}

struct ReplHelper {
    words: Rc<RefCell<Words>>,
}
impl Completer for ReplHelper {
    type Candidate = Pair;
    fn complete(&self, line: &str, pos: usize, _ctx: &Context<'_>) -> rustyline::Result<(usize, Vec<Pair>)> {
        let (s, c) = complete(&self.words.borrow(), line, pos);
        Ok((s, c.into_iter().map(|x| Pair { display: x.clone(), replacement: x }).collect()))
    }
}
impl rustyline::hint::Hinter for ReplHelper {
    type Hint = String;
}
impl rustyline::highlight::Highlighter for ReplHelper {}
impl Validator for ReplHelper {
    fn validate(&self, ctx: &mut ValidationContext<'_>) -> rustyline::Result<ValidationResult> {
        match crate::parser::check_balance(ctx.input()) {
            Err(e) if e.incomplete => Ok(ValidationResult::Incomplete),
            _ => Ok(ValidationResult::Valid(None)),
        }
    }
}
impl Helper for ReplHelper {}

fn history_path() -> Option<std::path::PathBuf> {
    std::env::var_os("NESTOR_HISTORY")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| std::path::Path::new(&h).join(".nestor_history")))
}

/// Runs one line of input in the REPL's interpreter, printing errors; returns `Some(code)` when
/// the session should end (quit).
pub fn eval_line(i: &mut Interp, line: &str, color: bool) -> Option<i32> {
    let t = line.trim();
    if let Some(name) = t.strip_prefix("help ") {
        let s = help_text(i, name.trim()).unwrap_or_else(|| format!("no help for '{}'\n", name.trim()));
        i.print(&s);
        return None;
    }
    i.interrupt.store(false, std::sync::atomic::Ordering::SeqCst);
    match i.run_source("<stdin>", line) {
        Ok(()) => None,
        Err(Outcome::Quit(c)) => Some(c),
        Err(Outcome::Error(info)) => {
            let s = crate::diag::render(&i.sources, &info, color);
            i.eprint(&s);
            i.errordict.borrow_mut().insert(Sym::new("newerror"), Obj::Bool(false));
            None
        }
        Err(Outcome::StepLimit) => None,
    }
}

/// The REPL loop; returns the exit code.
pub fn run(i: &mut Interp, quiet: bool) -> i32 {
    use std::io::IsTerminal;
    let color = std::io::stderr().is_terminal();
    if !quiet {
        println!(
            "nestor {} — SLI interpreter. `help NAME` for an operator or model, `stack` shows the stack, `quit` leaves.",
            env!("CARGO_PKG_VERSION")
        );
    }
    i.statusdict.borrow_mut().insert(Sym::new("interactive"), Obj::Bool(true));
    let words = Rc::new(RefCell::new(collect_words(i)));
    let config = rustyline::Config::builder()
        .completion_type(rustyline::CompletionType::List)
        .max_history_size(10_000)
        .map(|b| b.build())
        .unwrap_or_default();
    let hist = history_path();
    let mut history: Vec<String> = hist
        .as_ref()
        .and_then(|h| std::fs::read_to_string(h).ok())
        .map(|t| t.lines().filter(|l| !l.starts_with("#V")).map(str::to_string).collect())
        .unwrap_or_default();
    let save = |history: &Vec<String>| {
        if let Some(h) = &hist {
            let start = history.len().saturating_sub(10_000);
            let _ = std::fs::write(h, history[start..].join("\n") + "\n");
        }
    };
    loop {
        let prompt = if i.ostack.is_empty() { "SLI ] ".to_string() } else { format!("SLI [{}] ", i.ostack.len()) };
        // A fresh editor per line: rustyline owns SIGINT while it exists, and dropping it gives
        // SIGINT back to the Ctrl-C handler that interrupts running code.
        let mut ed = match rustyline::Editor::<ReplHelper, rustyline::history::FileHistory>::with_config(config.clone())
        {
            Ok(e) => e,
            Err(e) => {
                eprintln!("cannot start the line editor: {e}");
                return 1;
            }
        };
        ed.set_helper(Some(ReplHelper { words: words.clone() }));
        for h in &history {
            let _ = ed.add_history_entry(h.as_str());
        }
        let r = ed.readline(&prompt);
        drop(ed);
        match r {
            Ok(line) => {
                if line.trim().is_empty() {
                    continue;
                }
                let entry = line.replace('\n', " ");
                if history.last() != Some(&entry) {
                    history.push(entry);
                }
                if let Some(code) = eval_line(i, &line, color) {
                    save(&history);
                    return code;
                }
                *words.borrow_mut() = collect_words(i);
            }
            Err(ReadlineError::Interrupted) => continue,
            Err(ReadlineError::Eof) => break,
            Err(e) => {
                eprintln!("input error: {e}");
                break;
            }
        }
    }
    save(&history);
    0
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn errors_do_not_end_the_session_and_help_is_generated() {
        let mut i = crate::testing::interp();
        assert_eq!(eval_line(&mut i, "1 0 div", false), None);
        assert!(i.take_output().contains("error[DivisionByZero]"));
        assert_eq!(eval_line(&mut i, "clear 2 3 add =", false), None);
        assert_eq!(i.take_output(), "5\n");
        assert_eq!(eval_line(&mut i, "help add", false), None);
        assert!(i.take_output().contains("num num add -> num"));
        assert_eq!(eval_line(&mut i, "7 quit_i", false), Some(7));
        assert!(help_text(&i, "Map").unwrap().contains("See also"));
        assert!(help_text(&i, "no_such_thing_at_all").is_none());
    }

    #[test]
    fn completion_offers_operators_and_literals() {
        let w = Words { names: vec!["Create".into(), "Connect".into(), "add".into()], params: BTreeMap::new() };
        let (s, c) = complete(&w, "1 2 ad", 6);
        assert_eq!(s, 4);
        assert_eq!(c, vec!["add".to_string()]);
        let (_, c) = complete(&w, "/Cr", 3);
        assert_eq!(c, vec!["/Create".to_string()]);
        let mut p = BTreeMap::new();
        p.insert("iaf".to_string(), vec!["V_m".to_string(), "V_th".to_string()]);
        let w = Words { names: vec![], params: p };
        let (_, c) = complete(&w, "/iaf << /V_", 11);
        assert_eq!(c, vec!["/V_m".to_string(), "/V_th".to_string()]);
    }
}
