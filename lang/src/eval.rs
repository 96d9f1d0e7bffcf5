//! The interpreter: operand, dictionary and execution stacks.
//!
//! The execution stack is an explicit `Vec<Frame>`: running a procedure pushes a frame instead of
//! calling into Rust, loops are frames that re-push their body, and a call in tail position
//! replaces its caller's frame. So loops run in constant Rust stack and recursion a million levels
//! deep only grows a heap vector. Errors follow SLI: `errordict` is filled, the command name is
//! pushed and `stop` unwinds to the nearest `stopped`. Builtins return errors without a position;
//! the evaluator adds the location of the token being executed.

use crate::ast::{Span, TokKind, Token};
use crate::value::{Builtin, DictRef, Obj, Proc, StreamKind, Sym, Trie};
use nestor_kernel::Kernel;
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// A builtin operator's implementation.
pub type BuiltinFn = fn(&mut Interp) -> Result<(), SliErr>;

/// An error raised by a builtin: an SLI error name and a message. The evaluator adds where.
#[derive(Debug, Clone, PartialEq)]
pub struct SliErr {
    /// SLI error name, e.g. "StackUnderflow".
    pub name: String,
    /// Explanation.
    pub message: String,
}

impl SliErr {
    /// An error called `name`.
    pub fn new(name: &str, message: impl Into<String>) -> Self {
        SliErr { name: name.to_string(), message: message.into() }
    }
    /// StackUnderflow.
    pub fn underflow(need: usize, have: usize) -> Self {
        Self::new(
            "StackUnderflow",
            format!("needs {need} operand{}, the stack has {have}", if need == 1 { "" } else { "s" }),
        )
    }
    /// ArgumentType.
    pub fn arg_type(message: impl Into<String>) -> Self {
        Self::new("ArgumentType", message)
    }
    /// RangeCheck.
    pub fn range(message: impl Into<String>) -> Self {
        Self::new("RangeCheck", message)
    }
}

impl From<nestor_kernel::Error> for SliErr {
    fn from(e: nestor_kernel::Error) -> Self {
        SliErr { name: e.kind.sli_name().to_string(), message: e.message }
    }
}

/// Result of a builtin.
pub type R<T = ()> = Result<T, SliErr>;

/// A place in a source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Loc {
    /// Index into [`Interp::sources`].
    pub file: u32,
    /// Byte range.
    pub span: Span,
}

/// A loaded source text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Its name (path or `<command line>`).
    pub name: String,
    /// Its text.
    pub text: String,
}

/// Everything known about an error that reached the top level or `handleerror`.
#[derive(Debug, Clone)]
pub struct ErrorInfo {
    /// SLI error name.
    pub name: String,
    /// The command that raised it.
    pub command: String,
    /// The message.
    pub message: String,
    /// Where.
    pub loc: Option<Loc>,
    /// The top of the operand stack (top first), printed with `==`.
    pub stack_top: Vec<String>,
    /// Depth of the operand stack.
    pub depth: usize,
}

/// Why execution ended early.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// An error that no `stopped` caught.
    Error(Box<ErrorInfo>),
    /// `quit` / `quit_i` with an exit code.
    Quit(i32),
    /// The step limit was reached.
    StepLimit,
}

/// Where `=` and friends print.
#[derive(Debug)]
pub enum Output {
    /// Standard output.
    Stdout,
    /// Into a string (tests, fuzzing).
    Buffer(String),
}

/// What a loop frame iterates.
#[derive(Debug)]
pub enum IterKind {
    /// `n {..} repeat`
    Repeat(i64),
    /// `a inc b {..} for` with integers.
    ForInt {
        /// next value
        cur: i64,
        /// increment
        inc: i64,
        /// limit (inclusive)
        lim: i64,
    },
    /// `for` with doubles.
    ForDbl {
        /// next value
        cur: f64,
        /// increment
        inc: f64,
        /// limit
        lim: f64,
    },
    /// `forall`: pushes each item (or `per` items of each group).
    Forall {
        /// items
        items: Rc<Vec<Obj>>,
        /// next index
        i: usize,
        /// items pushed per iteration (2 for dictionaries)
        per: usize,
        /// push the 0-based index after the item (forallindexed)
        indexed: bool,
    },
    /// `{..} loop`
    Loop,
    /// `Map`, `MapIndexed`, `Select` and friends: run body per item and collect.
    Collect {
        /// items
        items: Rc<Vec<Obj>>,
        /// next index
        i: usize,
        /// collected results
        out: Vec<Obj>,
        /// operand stack depth before each call
        depth: usize,
        /// what to collect
        mode: CollectMode,
        /// Shape of the result.
        result: ResultShape,
    },
}

/// What `Collect` keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CollectMode {
    /// the body's result (Map)
    Map,
    /// the body's result, the body also gets the 1-based index (MapIndexed)
    MapIndexed,
    /// the item when the body returns true (Select)
    Select,
    /// the accumulator after each step (FoldList): pushes acc and item
    FoldList,
}

/// What `Collect` returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultShape {
    /// an array
    Array,
    /// a string (Map over a string)
    Str,
    /// a procedure (Map over a procedure)
    Proc,
    /// a node collection
    Nodes,
}

/// A frame of the execution stack.
#[derive(Debug)]
pub enum Frame {
    /// A procedure being run.
    Proc {
        /// its body
        body: Rc<Proc>,
        /// next item
        pc: usize,
    },
    /// Execute one object.
    Obj(Obj),
    /// The mark of `stopped`: reached normally, pushes false.
    Stopped,
    /// A loop; `exit` leaves the innermost.
    Iter {
        /// the body
        body: Obj,
        /// what it iterates
        kind: Box<IterKind>,
        /// whether the body has run once
        started: bool,
    },
}

/// The SLI interpreter with its kernel.
pub struct Interp {
    /// Operand stack (top is last).
    pub ostack: Vec<Obj>,
    /// Dictionary stack (top is last).
    pub dstack: Vec<DictRef>,
    /// Execution stack.
    pub estack: Vec<Frame>,
    /// systemdict
    pub systemdict: DictRef,
    /// userdict
    pub userdict: DictRef,
    /// errordict
    pub errordict: DictRef,
    /// statusdict
    pub statusdict: DictRef,
    /// The simulation kernel.
    pub kernel: Kernel,
    /// Kernel status applied again after every ResetKernel (from --threads/--seed).
    pub kernel_overrides: nestor_kernel::Dict,
    /// Loaded sources, for diagnostics.
    pub sources: Vec<SourceFile>,
    /// Location of the item being executed.
    pub cur_loc: Option<Loc>,
    /// The last error raised (for handleerror and the top level).
    pub last_error: Option<Box<ErrorInfo>>,
    /// Set by Ctrl-C: stops the running code with SystemSignal.
    pub interrupt: Arc<AtomicBool>,
    /// Maximum number of steps (fuzzing); `None` for no limit.
    pub step_limit: Option<u64>,
    /// Steps executed.
    pub steps: u64,
    /// Where output goes.
    pub out: Output,
    /// Whether cerr output and messages are discarded.
    pub silent_err: bool,
    /// Message verbosity threshold (M_ALL=0 .. M_QUIET=100).
    pub verbosity: i64,
    /// Show a progress bar for long simulations.
    pub progress: bool,
    /// Whether processes may be spawned (failbutnocrash_or_die).
    pub allow_spawn: bool,
    /// Command-line arguments for statusdict/argv.
    pub argv: Vec<String>,
    /// Every registered builtin, for help and completion.
    pub builtins: Vec<&'static Builtin>,
    /// Libraries loaded with `run`/`require` by name.
    pub loaded: Vec<String>,
    /// Sandbox for fuzzing: no files, no processes, small containers.
    pub sandbox: bool,
    /// Largest array/string/stack growth one operation may produce.
    pub max_elems: usize,
}

/// The largest operand stack allowed before StackOverflow (in objects).
pub const MAX_OSTACK: usize = 50_000_000;
/// The largest execution stack allowed (frames): deep but bounded recursion.
pub const MAX_ESTACK: usize = 5_000_000;

impl Interp {
    /// An interpreter driving `kernel`, with all builtins and the SLI library loaded.
    pub fn new(kernel: Kernel) -> Self {
        let systemdict = Obj::new_dict();
        let userdict = Obj::new_dict();
        let errordict = Obj::new_dict();
        let statusdict = Obj::new_dict();
        let interrupt = kernel.interrupt_handle();
        let mut i = Interp {
            ostack: Vec::new(),
            dstack: vec![systemdict.clone(), userdict.clone()],
            estack: Vec::new(),
            systemdict,
            userdict,
            errordict,
            statusdict,
            kernel,
            kernel_overrides: nestor_kernel::Dict::new(),
            sources: Vec::new(),
            cur_loc: None,
            last_error: None,
            interrupt,
            step_limit: None,
            steps: 0,
            out: Output::Stdout,
            silent_err: false,
            verbosity: 0,
            progress: false,
            allow_spawn: true,
            argv: Vec::new(),
            builtins: Vec::new(),
            loaded: Vec::new(),
            sandbox: false,
            max_elems: 100_000_000,
        };
        crate::builtins::register_all(&mut i);
        i.init_dicts();
        let boot = i.run_source("<init>", crate::builtins::INIT_SLI);
        if let Err(e) = boot {
            panic!("the built-in SLI library failed to load: {e:?}");
        }
        i
    }

    fn init_dicts(&mut self) {
        let sd = Obj::Dict(self.systemdict.clone());
        self.def_sys("systemdict", sd);
        self.def_sys("userdict", Obj::Dict(self.userdict.clone()));
        self.def_sys("errordict", Obj::Dict(self.errordict.clone()));
        self.def_sys("statusdict", Obj::Dict(self.statusdict.clone()));
        self.def_sys("cout", Obj::Stream(StreamKind::Cout));
        self.def_sys("cerr", Obj::Stream(StreamKind::Cerr));
        {
            let mut e = self.errordict.borrow_mut();
            e.insert(Sym::new("newerror"), Obj::Bool(false));
            e.insert(Sym::new("recordstacks"), Obj::Bool(true));
            e.insert(Sym::new("errorname"), Obj::lit("none"));
            e.insert(Sym::new("commandname"), Obj::lit("none"));
            e.insert(Sym::new("ostack"), Obj::array(vec![]));
        }
    }

    /// Defines `name` in systemdict.
    pub fn def_sys(&mut self, name: &str, v: Obj) {
        self.systemdict.borrow_mut().insert(Sym::new(name), v);
    }

    /// Registers a table of builtins in systemdict.
    pub fn register(&mut self, table: &'static [Builtin]) {
        for b in table {
            self.systemdict.borrow_mut().insert(Sym::new(b.name), Obj::Builtin(b));
            self.builtins.push(b);
        }
    }

    /// Adds a source text and returns its index.
    pub fn add_source(&mut self, name: &str, text: &str) -> u32 {
        self.sources.push(SourceFile { name: name.to_string(), text: text.to_string() });
        (self.sources.len() - 1) as u32
    }

    /// Converts parsed tokens of file `file` into a procedure.
    pub fn tokens_to_proc(tokens: &[Token], file: u32) -> Proc {
        let mut items = Vec::with_capacity(tokens.len());
        let mut spans = Vec::with_capacity(tokens.len());
        for t in tokens {
            spans.push(t.span);
            items.push(Self::token_obj(t, file));
        }
        Proc { items, spans: Some(Rc::new(spans)), file }
    }

    fn token_obj(t: &Token, file: u32) -> Obj {
        match &t.kind {
            TokKind::Int(i) => Obj::Int(*i),
            TokKind::Double(x) => Obj::Double(*x),
            TokKind::Str(s) => Obj::str(s.clone()),
            TokKind::Literal(s) => Obj::Literal(Sym::new(s)),
            TokKind::Name(s) => Obj::Name(Sym::new(s)),
            TokKind::Proc(body) => Obj::Proc(Rc::new(Self::tokens_to_proc(body, file))),
        }
    }

    /// Parses `text` (registered as `name`) into a procedure, or a located parse error.
    pub fn compile(&mut self, name: &str, text: &str) -> Result<Rc<Proc>, Box<ErrorInfo>> {
        let file = self.add_source(name, text);
        match crate::parser::parse(text) {
            Ok(toks) => Ok(Rc::new(Self::tokens_to_proc(&toks, file))),
            Err(e) => Err(Box::new(ErrorInfo {
                name: "SyntaxError".into(),
                command: "run".into(),
                message: e.message,
                loc: Some(Loc { file, span: e.span }),
                stack_top: Vec::new(),
                depth: self.ostack.len(),
            })),
        }
    }

    /// Parses and runs `text` to completion.
    pub fn run_source(&mut self, name: &str, text: &str) -> Result<(), Outcome> {
        let p = self.compile(name, text).map_err(Outcome::Error)?;
        self.estack.push(Frame::Proc { body: p, pc: 0 });
        self.run()
    }

    /// Runs the execution stack until it is empty.
    pub fn run(&mut self) -> Result<(), Outcome> {
        let r = self.run_loop();
        if r.is_err() {
            self.estack.clear();
        }
        r
    }

    fn run_loop(&mut self) -> Result<(), Outcome> {
        loop {
            let Some(top) = self.estack.last_mut() else { return Ok(()) };
            self.steps += 1;
            if self.steps & 1023 == 0 {
                if let Some(lim) = self.step_limit {
                    if self.steps > lim {
                        return Err(Outcome::StepLimit);
                    }
                }
                if self.interrupt.swap(false, Ordering::SeqCst) {
                    self.raise("SystemSignal", SliErr::new("SystemSignal", "interrupted by the user (Ctrl-C)"))?;
                    continue;
                }
            }
            match top {
                Frame::Proc { body, pc } => {
                    let idx = *pc;
                    if idx >= body.items.len() {
                        self.estack.pop();
                        continue;
                    }
                    *pc += 1;
                    let obj = body.items[idx].clone();
                    if let Some(s) = &body.spans {
                        self.cur_loc = Some(Loc { file: body.file, span: s[idx] });
                    }
                    if idx + 1 == body.items.len() {
                        // Tail position: drop the finished frame first.
                        self.estack.pop();
                    }
                    self.exec_item(obj)?;
                }
                Frame::Obj(_) => {
                    let Some(Frame::Obj(o)) = self.estack.pop() else { unreachable!() };
                    self.exec_value(o, None)?;
                }
                Frame::Stopped => {
                    self.estack.pop();
                    self.ostack.push(Obj::Bool(false));
                }
                Frame::Iter { .. } => self.iter_step()?,
            }
        }
    }

    /// Executes an item met inside a procedure: names run, everything else is pushed.
    fn exec_item(&mut self, obj: Obj) -> Result<(), Outcome> {
        match obj {
            Obj::Name(s) => self.exec_name(s),
            Obj::Builtin(b) => self.call_builtin(b),
            Obj::Trie(t) => self.call_trie(t, None),
            o => {
                self.push_checked(o)?;
                Ok(())
            }
        }
    }

    fn push_checked(&mut self, o: Obj) -> Result<(), Outcome> {
        if self.ostack.len() >= MAX_OSTACK {
            return self.raise("push", SliErr::new("StackOverflow", "the operand stack is full"));
        }
        self.ostack.push(o);
        Ok(())
    }

    /// Looks up a name through the dictionary stack.
    pub fn lookup(&self, s: Sym) -> Option<Obj> {
        for d in self.dstack.iter().rev() {
            if let Some(v) = d.borrow().get(&s) {
                return Some(v.clone());
            }
        }
        None
    }

    fn exec_name(&mut self, s: Sym) -> Result<(), Outcome> {
        match self.lookup(s) {
            Some(v) => self.exec_value(v, Some(s)),
            None => {
                let hint = self.suggest(&s.name());
                self.raise(&s.name(), SliErr::new("UndefinedName", format!("'{s}' is not defined{hint}")))
            }
        }
    }

    /// A "did you mean" hint for an unknown name.
    pub fn suggest(&self, name: &str) -> String {
        let mut names: Vec<Rc<str>> = Vec::new();
        for d in &self.dstack {
            names.extend(d.borrow().keys().map(|k| k.name()));
        }
        nestor_kernel::error::hint(name, names.iter().map(|s| &**s))
    }

    /// Executes a value (from a name lookup or `exec`): procedures run, operators are called,
    /// data is pushed.
    pub fn exec_value(&mut self, v: Obj, _name: Option<Sym>) -> Result<(), Outcome> {
        match v {
            Obj::Proc(p) => {
                if self.estack.len() >= MAX_ESTACK {
                    return self.raise(
                        "exec",
                        SliErr::new("StackOverflow", "the execution stack is full (runaway recursion?)"),
                    );
                }
                if !p.items.is_empty() {
                    self.estack.push(Frame::Proc { body: p, pc: 0 });
                }
                Ok(())
            }
            Obj::Builtin(b) => self.call_builtin(b),
            Obj::Trie(t) => self.call_trie(t, _name),
            Obj::Name(s) => self.exec_name(s),
            o => self.push_checked(o),
        }
    }

    fn call_builtin(&mut self, b: &'static Builtin) -> Result<(), Outcome> {
        match (b.f)(self) {
            Ok(()) => Ok(()),
            Err(e) if e.name == "\u{0}quit" => Err(Outcome::Quit(e.message.parse().unwrap_or(0))),
            Err(e) if e.name == "\u{0}stop" => self.do_stop(),
            Err(e) if e.name == "\u{0}done" => Ok(()),
            Err(mut e) if e.message.starts_with('\u{1}') => {
                // raiseerror: "\u{1}command\u{1}message"
                let rest = e.message[1..].to_string();
                let (cmd, msg) = rest.split_once('\u{1}').unwrap_or((&rest, ""));
                e.message = if msg.is_empty() { format!("raised by {cmd}") } else { msg.to_string() };
                self.raise(cmd, e)
            }
            Err(e) => self.raise(b.name, e),
        }
    }

    fn call_trie(&mut self, t: Rc<RefCell<Trie>>, name: Option<Sym>) -> Result<(), Outcome> {
        let found = {
            let t = t.borrow();
            let mut found = None;
            for (sig, imp) in &t.entries {
                let n = sig.len();
                if self.ostack.len() < n {
                    continue;
                }
                let base = self.ostack.len() - n;
                if sig.iter().enumerate().all(|(k, ty)| self.ostack[base + k].matches_type(&ty.name())) {
                    found = Some(imp.clone());
                    break;
                }
            }
            found
        };
        let tname = name.or(t.borrow().name).map_or_else(|| "trie".to_string(), |s| s.name().to_string());
        match found {
            Some(imp) => self.exec_value(imp, None),
            None => {
                let t = t.borrow();
                let min = t.entries.iter().map(|e| e.0.len()).min().unwrap_or(0);
                if self.ostack.len() < min {
                    return self.raise(&tname, SliErr::underflow(min, self.ostack.len()));
                }
                let sigs: Vec<String> = t
                    .entries
                    .iter()
                    .map(|(s, _)| s.iter().map(|x| x.name().to_string()).collect::<Vec<_>>().join(" "))
                    .collect();
                let maxn = t.entries.iter().map(|e| e.0.len()).max().unwrap_or(0).min(self.ostack.len());
                let got: Vec<&str> = self.ostack[self.ostack.len() - maxn..].iter().map(|o| o.type_name()).collect();
                drop(t);
                self.raise(
                    &tname,
                    SliErr::arg_type(format!(
                        "no variant of {tname} takes [{}]; variants: [{}]",
                        got.join(" "),
                        sigs.join("], [")
                    )),
                )
            }
        }
    }

    /// Raises an SLI error as `command`: fills errordict, pushes the command name and stops.
    pub fn raise(&mut self, command: &str, e: SliErr) -> Result<(), Outcome> {
        let newerror = matches!(self.errordict.borrow().get(&Sym::new("newerror")), Some(Obj::Bool(true)));
        if newerror {
            // An error while an earlier one is unhandled: the handler itself failed.
            self.errordict.borrow_mut().insert(Sym::new("newerror"), Obj::Bool(false));
            let msg =
                format!("error {} in {command} while an earlier error was still unhandled ({})", e.name, e.message);
            return self.raise("raiseerror", SliErr::new("BadErrorHandler", msg));
        }
        let stack_top: Vec<String> = self.ostack.iter().rev().take(5).map(|o| truncate(&o.to_syntax(), 60)).collect();
        {
            let mut d = self.errordict.borrow_mut();
            d.insert(Sym::new("newerror"), Obj::Bool(true));
            d.insert(Sym::new("errorname"), Obj::lit(&e.name));
            d.insert(Sym::new("commandname"), Obj::lit(command));
            d.insert(Sym::new("command"), Obj::lit(command));
            d.insert(Sym::new("message"), Obj::str(e.message.clone()));
            let rec = matches!(d.get(&Sym::new("recordstacks")), Some(Obj::Bool(true)));
            if rec && self.ostack.len() <= 100_000 {
                d.insert(Sym::new("ostack"), Obj::array(self.ostack.clone()));
            }
        }
        self.last_error = Some(Box::new(ErrorInfo {
            name: e.name,
            command: command.to_string(),
            message: e.message,
            loc: self.cur_loc,
            stack_top,
            depth: self.ostack.len(),
        }));
        self.ostack.push(Obj::lit(command));
        self.do_stop()
    }

    /// Unwinds to the innermost `stopped` and pushes true; an error if there is none.
    pub fn do_stop(&mut self) -> Result<(), Outcome> {
        while let Some(f) = self.estack.pop() {
            if let Frame::Stopped = f {
                self.ostack.push(Obj::Bool(true));
                return Ok(());
            }
        }
        let info = self.last_error.clone().unwrap_or_else(|| {
            Box::new(ErrorInfo {
                name: "stop".into(),
                command: "stop".into(),
                message: "stop was called outside of a stopped context".into(),
                loc: self.cur_loc,
                stack_top: Vec::new(),
                depth: self.ostack.len(),
            })
        });
        Err(Outcome::Error(info))
    }

    fn iter_step(&mut self) -> Result<(), Outcome> {
        let depth = self.ostack.len();
        let Some(Frame::Iter { body, kind, started }) = self.estack.last_mut() else { unreachable!() };
        let was_started = *started;
        *started = true;
        let body = body.clone();
        let mut push: Vec<Obj> = Vec::new();
        let mut finished: Option<Obj> = None;
        let mut err: Option<SliErr> = None;
        match kind.as_mut() {
            IterKind::Repeat(n) => {
                if *n <= 0 {
                    finished = Some(Obj::Mark);
                } else {
                    *n -= 1;
                }
            }
            IterKind::ForInt { cur, inc, lim } => {
                if (*inc > 0 && *cur > *lim) || (*inc < 0 && *cur < *lim) || *inc == 0 {
                    finished = Some(Obj::Mark);
                } else {
                    push.push(Obj::Int(*cur));
                    *cur = cur.saturating_add(*inc);
                }
            }
            IterKind::ForDbl { cur, inc, lim } => {
                if (*inc > 0.0 && *cur > *lim) || (*inc < 0.0 && *cur < *lim) || *inc == 0.0 || cur.is_nan() {
                    finished = Some(Obj::Mark);
                } else {
                    push.push(Obj::Double(*cur));
                    *cur += *inc;
                }
            }
            IterKind::Forall { items, i, per, indexed } => {
                if *i + *per > items.len() {
                    finished = Some(Obj::Mark);
                } else {
                    push.extend(items[*i..*i + *per].iter().cloned());
                    if *indexed {
                        push.push(Obj::Int((*i / *per) as i64));
                    }
                    *i += *per;
                }
            }
            IterKind::Loop => {}
            IterKind::Collect { items, i, out, depth: d0, mode, result } => {
                if was_started {
                    if depth != *d0 + 1 {
                        err = Some(SliErr::new(
                            "StackUnderflow",
                            format!(
                                "the procedure must leave exactly one result per element, it left {}",
                                depth as i64 - *d0 as i64
                            ),
                        ));
                    } else {
                        let r = self.ostack.pop().expect("checked depth");
                        match mode {
                            CollectMode::Map | CollectMode::MapIndexed => out.push(r),
                            CollectMode::Select => match r {
                                Obj::Bool(true) => out.push(items[*i - 1].clone()),
                                Obj::Bool(false) => {}
                                o => {
                                    err = Some(SliErr::arg_type(format!(
                                        "Select: the procedure must return a boolean, got {}",
                                        o.type_name()
                                    )))
                                }
                            },
                            CollectMode::FoldList => {
                                out.push(r.clone());
                                self.ostack.push(r);
                            }
                        }
                    }
                }
                if err.is_none() {
                    if *i >= items.len() {
                        let res = std::mem::take(out);
                        if *mode == CollectMode::FoldList {
                            self.ostack.pop();
                        }
                        finished = Some(match result {
                            ResultShape::Array => Obj::array(res),
                            ResultShape::Proc => Obj::Proc(Rc::new(Proc { items: res, spans: None, file: 0 })),
                            ResultShape::Str => {
                                let mut s = String::new();
                                for o in res {
                                    if let Obj::Int(c) = o {
                                        s.push(char::from_u32(c as u32).unwrap_or('?'));
                                    }
                                }
                                Obj::str(s)
                            }
                            ResultShape::Nodes => {
                                let ids: Vec<u32> = res
                                    .iter()
                                    .filter_map(|o| if let Obj::Int(x) = o { Some(*x as u32) } else { None })
                                    .collect();
                                Obj::Nodes(Rc::new(nestor_kernel::NodeCollection::from_ids(&ids)))
                            }
                        });
                    } else {
                        *d0 = self.ostack.len() - usize::from(*mode == CollectMode::FoldList);
                        push.push(items[*i].clone());
                        if *mode == CollectMode::MapIndexed {
                            push.push(Obj::Int(*i as i64 + 1));
                        }
                        *i += 1;
                    }
                }
            }
        }
        if let Some(e) = err {
            self.estack.pop();
            return self.raise("Map", e);
        }
        if let Some(res) = finished {
            self.estack.pop();
            if !matches!(res, Obj::Mark) {
                self.ostack.push(res);
            }
            return Ok(());
        }
        self.ostack.extend(push);
        self.push_body(body);
        Ok(())
    }

    /// Schedules `body` to run next (procedures get a frame, anything else runs once).
    pub fn push_body(&mut self, body: Obj) {
        match body {
            Obj::Proc(p) => {
                if !p.items.is_empty() {
                    self.estack.push(Frame::Proc { body: p, pc: 0 })
                }
            }
            o => self.estack.push(Frame::Obj(o)),
        }
    }

    /// Schedules a loop.
    pub fn push_loop(&mut self, body: Obj, kind: IterKind) {
        self.estack.push(Frame::Iter { body, kind: Box::new(kind), started: false });
    }

    /// Writes to standard output (or the buffer).
    pub fn print(&mut self, s: &str) {
        match &mut self.out {
            Output::Stdout => {
                use std::io::Write;
                let mut o = std::io::stdout().lock();
                let _ = o.write_all(s.as_bytes());
                if s.contains('\n') {
                    let _ = o.flush();
                }
            }
            Output::Buffer(b) => b.push_str(s),
        }
    }

    /// Writes to standard error (or the buffer).
    pub fn eprint(&mut self, s: &str) {
        if self.silent_err {
            return;
        }
        match &mut self.out {
            Output::Stdout => eprint!("{s}"),
            Output::Buffer(b) => b.push_str(s),
        }
    }

    /// Takes the buffered output.
    pub fn take_output(&mut self) -> String {
        match &mut self.out {
            Output::Buffer(b) => std::mem::take(b),
            Output::Stdout => String::new(),
        }
    }

    // ------------------------------------------------------------ argument helpers

    /// Fails with RangeCheck when a container of `n` elements would exceed the limit.
    pub fn check_size(&self, n: usize) -> R {
        if n > self.max_elems {
            Err(SliErr::range(format!("{n} elements exceed the limit of {}", self.max_elems)))
        } else {
            Ok(())
        }
    }
    /// Restricts the interpreter for untrusted input (fuzzing).
    pub fn make_sandbox(&mut self) {
        self.sandbox = true;
        self.allow_spawn = false;
        self.max_elems = 100_000;
        self.silent_err = true;
        self.out = Output::Buffer(String::new());
    }

    /// Fails with StackUnderflow unless `n` operands are present.
    pub fn need(&self, n: usize) -> R {
        if self.ostack.len() < n {
            Err(SliErr::underflow(n, self.ostack.len()))
        } else {
            Ok(())
        }
    }
    /// The operand `k` places below the top (0 = top). Call `need` first.
    pub fn at(&self, k: usize) -> &Obj {
        &self.ostack[self.ostack.len() - 1 - k]
    }
    /// Pops `n` operands.
    pub fn popn(&mut self, n: usize) {
        let l = self.ostack.len();
        self.ostack.truncate(l - n);
    }
    /// Pops `n` operands and pushes `r`.
    pub fn ret(&mut self, n: usize, r: Obj) -> R {
        self.popn(n);
        self.ostack.push(r);
        Ok(())
    }
    /// Pushes.
    pub fn push(&mut self, o: Obj) {
        self.ostack.push(o);
    }
    /// Integer operand at `k`.
    pub fn int_at(&self, k: usize) -> R<i64> {
        match self.at(k) {
            Obj::Int(i) => Ok(*i),
            o => Err(SliErr::arg_type(format!("expected an integer, got {} {}", o.type_name(), short(o)))),
        }
    }
    /// Number operand at `k` (int or double).
    pub fn num_at(&self, k: usize) -> R<f64> {
        match self.at(k) {
            Obj::Int(i) => Ok(*i as f64),
            Obj::Double(x) => Ok(*x),
            o => Err(SliErr::arg_type(format!("expected a number, got {} {}", o.type_name(), short(o)))),
        }
    }
    /// Boolean operand at `k`.
    pub fn bool_at(&self, k: usize) -> R<bool> {
        match self.at(k) {
            Obj::Bool(b) => Ok(*b),
            o => Err(SliErr::arg_type(format!("expected a boolean, got {} {}", o.type_name(), short(o)))),
        }
    }
    /// String operand at `k`.
    pub fn str_at(&self, k: usize) -> R<Rc<String>> {
        match self.at(k) {
            Obj::Str(s) => Ok(s.clone()),
            o => Err(SliErr::arg_type(format!("expected a string, got {} {}", o.type_name(), short(o)))),
        }
    }
    /// Array operand at `k`.
    pub fn arr_at(&self, k: usize) -> R<Rc<Vec<Obj>>> {
        match self.at(k) {
            Obj::Array(a) => Ok(a.clone()),
            o => Err(SliErr::arg_type(format!("expected an array, got {} {}", o.type_name(), short(o)))),
        }
    }
    /// Dictionary operand at `k`.
    pub fn dict_at(&self, k: usize) -> R<DictRef> {
        match self.at(k) {
            Obj::Dict(d) => Ok(d.clone()),
            o => Err(SliErr::arg_type(format!("expected a dictionary, got {} {}", o.type_name(), short(o)))),
        }
    }
    /// Name (literal or executable) operand at `k`.
    pub fn sym_at(&self, k: usize) -> R<Sym> {
        match self.at(k) {
            Obj::Literal(s) | Obj::Name(s) => Ok(*s),
            o => Err(SliErr::arg_type(format!("expected a literal name, got {} {}", o.type_name(), short(o)))),
        }
    }
    /// Something executable at `k` (procedure, operator, name).
    pub fn proc_at(&self, k: usize) -> R<Obj> {
        match self.at(k) {
            o @ (Obj::Proc(_) | Obj::Builtin(_) | Obj::Trie(_) | Obj::Name(_)) => Ok(o.clone()),
            o => Err(SliErr::arg_type(format!("expected a procedure, got {} {}", o.type_name(), short(o)))),
        }
    }
}

/// A short printable form of an object for messages.
pub fn short(o: &Obj) -> String {
    truncate(&o.to_syntax(), 40)
}

/// Cuts `s` to `n` characters with an ellipsis.
pub fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n).collect();
        t.push('…');
        t
    }
}

impl Interp {
    /// Sets statusdict/argv (and userargs: everything after the script name).
    pub fn set_argv(&mut self, argv: Vec<String>) {
        let user: Vec<Obj> = argv.iter().skip(2).map(|s| Obj::str(s.clone())).collect();
        let mut sd = self.statusdict.borrow_mut();
        sd.insert(Sym::new("argv"), Obj::array(argv.iter().map(|s| Obj::str(s.clone())).collect()));
        sd.insert(Sym::new("userargs"), Obj::array(user));
        drop(sd);
        self.argv = argv;
    }
}

impl Drop for Interp {
    /// Dictionaries refer to each other (systemdict holds itself), so `Rc` alone would leak
    /// them: clear every dictionary reachable from the stacks.
    fn drop(&mut self) {
        let mut todo: Vec<DictRef> =
            vec![self.systemdict.clone(), self.userdict.clone(), self.errordict.clone(), self.statusdict.clone()];
        todo.append(&mut self.dstack);
        let mut objs: Vec<Obj> = std::mem::take(&mut self.ostack);
        let mut seen = std::collections::HashSet::new();
        loop {
            while let Some(o) = objs.pop() {
                match o {
                    Obj::Dict(d) => todo.push(d),
                    Obj::Array(a) => objs.extend(a.iter().cloned()),
                    Obj::Proc(p) | Obj::LitProc(p) => objs.extend(p.items.iter().cloned()),
                    Obj::Trie(t) => objs.extend(t.borrow().entries.iter().map(|e| e.1.clone())),
                    _ => {}
                }
            }
            let Some(d) = todo.pop() else { break };
            if !seen.insert(Rc::as_ptr(&d) as usize) {
                continue;
            }
            let entries: Vec<Obj> = d.borrow_mut().drain().map(|(_, v)| v).collect();
            objs.extend(entries);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{eval_err, eval_ok};

    #[test]
    fn core_semantics() {
        assert_eq!(eval_ok("1 2 add"), "3");
        assert_eq!(eval_ok("/f {dup 0 gt {1 sub f} if} def 5 f"), "0");
        assert_eq!(eval_ok("{1 0 div} stopped"), "1 0 /div true");
        assert_eq!(eval_ok("0 1 1 10 {add} for"), "55");
        assert_eq!(eval_ok("[1 2 3] {2 mul} Map"), "[2 4 6]");
        assert_eq!(eval_ok("0 {1 add dup 5 eq {exit} if} loop"), "5");
        assert_eq!(eval_ok("<< /a 1 >> /a get"), "1");
        assert_eq!(eval_ok("{/f /MyErr raiseerror} stopped errordict /errorname get"), "/f true /MyErr");
        assert_eq!(eval_err("1 foo"), "UndefinedName");
        assert_eq!(eval_err("add"), "StackUnderflow");
        assert_eq!(eval_err("1 (a) add"), "ArgumentType");
        assert_eq!(eval_err("1 0 div"), "DivisionByZero");
    }

    #[test]
    fn deep_recursion_does_not_overflow() {
        // A million nested (non-tail) calls: the result is computed after the recursion unwinds.
        assert_eq!(eval_ok("/f {dup 0 gt {1 sub f 1 add} if} def 1000000 f"), "1000000");
    }
}
