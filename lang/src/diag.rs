//! Rendering errors for people: the SLI error name, the command, the message, file:line:column,
//! the source line with a marker (codespan-reporting) and the top of the operand stack. Only the
//! REPL, the CLI and `handleerror` call this; builtins never format positions themselves.

use crate::eval::{ErrorInfo, SourceFile};
use codespan_reporting::diagnostic::{Diagnostic, Label};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term;

/// `file:line:column` of an error, if it has a location.
pub fn location(sources: &[SourceFile], info: &ErrorInfo) -> Option<String> {
    let loc = info.loc?;
    let f = sources.get(loc.file as usize)?;
    let (l, c) = crate::parser::line_col(&f.text, loc.span.0 as usize);
    Some(format!("{}:{l}:{c}", f.name))
}

/// Renders an error as text (with ANSI colours when `color`).
pub fn render(sources: &[SourceFile], info: &ErrorInfo, color: bool) -> String {
    let mut files = SimpleFiles::new();
    let mut ids = Vec::new();
    for s in sources {
        ids.push(files.add(s.name.clone(), s.text.clone()));
    }
    let mut d = Diagnostic::error()
        .with_code(info.name.clone())
        .with_message(format!("{} in {}: {}", info.name, info.command, info.message));
    if let Some(loc) = info.loc {
        if let Some(&id) = ids.get(loc.file as usize) {
            let len = sources[loc.file as usize].text.len() as u32;
            let (a, b) = (loc.span.0.min(len), loc.span.1.min(len).max(loc.span.0.min(len)));
            d = d.with_labels(vec![Label::primary(id, a as usize..b as usize).with_message(info.command.clone())]);
        }
    }
    let mut notes = Vec::new();
    if info.depth > 0 {
        notes.push(format!(
            "operand stack ({} item{}), top first: {}{}",
            info.depth,
            if info.depth == 1 { "" } else { "s" },
            info.stack_top.join("  "),
            if info.depth > info.stack_top.len() { "  …" } else { "" }
        ));
    } else {
        notes.push("operand stack: empty".into());
    }
    d = d.with_notes(notes);
    let config = term::Config::default();
    let mut buf: Vec<u8> = Vec::new();
    let res = if color {
        let mut w = term::termcolor::Ansi::new(&mut buf);
        term::emit(&mut w, &config, &files, &d)
    } else {
        let mut w = term::termcolor::NoColor::new(&mut buf);
        term::emit(&mut w, &config, &files, &d)
    };
    match res {
        Ok(()) => String::from_utf8_lossy(&buf).into_owned(),
        Err(_) => format!(
            "error[{}]: {} in {}: {}{}\n",
            info.name,
            info.name,
            info.command,
            info.message,
            location(sources, info).map(|l| format!(" at {l}")).unwrap_or_default()
        ),
    }
}
