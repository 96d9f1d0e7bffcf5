//! # nestor-lang
//!
//! SLI, NEST's stack language, for nestor: a pest grammar (`grammar.pest` → [`parser`] →
//! [`ast`]), SLI objects ([`value`]), an interpreter with explicit operand, dictionary and
//! execution stacks ([`eval`]), builtins grouped by topic ([`builtins`]), NEST's unittest library,
//! error rendering ([`diag`]) and an interactive REPL ([`repl`]).
//!
//! Main design choice: the execution stack is a heap vector of frames, so loops, tail calls and a
//! million-level recursion never grow the Rust stack; errors follow SLI exactly (`errordict`,
//! `stopped`, `raiseerror`) and carry the source location of the failing token. The crate talks to
//! the simulator only through `nestor_kernel::Kernel`; the caller supplies the kernel with its
//! models.
#![deny(missing_docs)]

pub mod ast;
pub mod builtins;
pub mod diag;
pub mod eval;
pub mod parser;
pub mod repl;
pub mod value;

pub use eval::{ErrorInfo, Interp, Outcome, Output};

/// Runs a whole script and returns the process exit code NEST would give: 0 on success, the
/// argument of `quit_i`, 126 for an uncaught error (printed to stderr with its location).
pub fn run_script(i: &mut Interp, name: &str, text: &str, color: bool) -> i32 {
    match i.run_source(name, text) {
        Ok(()) => 0,
        Err(Outcome::Quit(c)) => c,
        Err(Outcome::Error(info)) => {
            let t = diag::render(&i.sources, &info, color);
            i.eprint(&t);
            126
        }
        Err(Outcome::StepLimit) => {
            i.eprint("error: step limit reached\n");
            126
        }
    }
}

#[cfg(test)]
pub(crate) mod testing {
    use super::*;

    /// A kernel without models (the lang crate's unit tests need no models).
    pub fn interp() -> Interp {
        let mut i = Interp::new(nestor_kernel::Kernel::new(nestor_kernel::registry::Registry::new()));
        i.out = Output::Buffer(String::new());
        i.allow_spawn = false;
        i
    }

    /// Runs `src` and returns the operand stack printed with `==`, bottom first.
    pub fn eval_ok(src: &str) -> String {
        let mut i = interp();
        if let Err(e) = i.run_source("<test>", src) {
            panic!("{src}: {e:?}");
        }
        i.ostack.iter().map(|o| o.to_syntax()).collect::<Vec<_>>().join(" ")
    }

    /// Runs `src` expecting an uncaught error; returns its name.
    pub fn eval_err(src: &str) -> String {
        let mut i = interp();
        match i.run_source("<test>", src) {
            Err(Outcome::Error(e)) => e.name,
            other => panic!("{src}: expected an error, got {other:?}"),
        }
    }
}
