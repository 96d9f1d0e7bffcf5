//! Fuzzes the SLI parser and interpreter: any input must either run or end in an SLI error, the
//! step limit, or `quit` — never a panic, a Rust stack overflow or unbounded memory.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nestor_lang::{Interp, Outcome};

thread_local! {
    static BASE: std::cell::RefCell<Option<()>> = const { std::cell::RefCell::new(None) };
}

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else { return };
    // A kernel without models: NEST commands fail with UnknownModelName, so the fuzzer explores
    // the language (parser, stacks, errors, builtins), not simulations.
    let mut i = Interp::new(nestor_kernel::Kernel::new(nestor_kernel::registry::Registry::new()));
    i.make_sandbox();
    i.step_limit = Some(200_000);
    match i.run_source("<fuzz>", src) {
        Ok(()) | Err(Outcome::Quit(_)) | Err(Outcome::StepLimit) => {}
        Err(Outcome::Error(e)) => {
            // Rendering the diagnostic must not panic either.
            let _ = nestor_lang::diag::render(&i.sources, &e, false);
        }
    }
});
