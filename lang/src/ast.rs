//! The syntax tree of SLI: a flat token list in which only procedures `{ }` nest. Arrays and
//! dictionaries are built at run time from marks, so they are plain names here.

/// A byte range in a source file: `(start, end)`.
pub type Span = (u32, u32);

/// One token with the start and end of its source text.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    /// What the token is.
    pub kind: TokKind,
    /// Where it is in its file.
    pub span: Span,
}

/// The kinds of tokens.
#[derive(Debug, Clone, PartialEq)]
pub enum TokKind {
    /// An integer literal such as `-70`.
    Int(i64),
    /// A double literal such as `1.`, `.5`, `1e-3`.
    Double(f64),
    /// A string in parentheses, escapes resolved.
    Str(String),
    /// A literal name `/x` (without the slash).
    Literal(String),
    /// An executable name, including punctuation names such as `<<` and `[`.
    Name(String),
    /// A procedure `{ ... }`.
    Proc(Vec<Token>),
}
