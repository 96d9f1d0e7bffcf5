//! Parsing SLI source text into [`Token`]s with the pest grammar in `grammar.pest`.
//!
//! Before pest runs, a small scanner checks the two mistakes people make most, an unterminated
//! string or comment and unbalanced braces, so that they get a message of their own with the
//! position of the opening (or stray closing) character rather than pest's generic one.

use crate::ast::{Span, TokKind, Token};
use grammar::{Rule, SliParser};
use pest::Parser;

#[allow(missing_docs)]
mod grammar {
    use pest_derive::Parser;
    #[derive(Parser)]
    #[grammar = "grammar.pest"]
    pub struct SliParser;
}

/// A syntax error: a message and the byte offset it refers to.
#[derive(Debug, Clone, PartialEq)]
pub struct ParseError {
    /// What is wrong.
    pub message: String,
    /// Byte range of the offending text.
    pub span: Span,
    /// True when more input could complete the text (open brace, string or comment); the REPL
    /// then asks for another line.
    pub incomplete: bool,
}

/// Checks strings, comments and brace balance; returns the first problem.
pub fn check_balance(src: &str) -> Result<(), ParseError> {
    let b = src.as_bytes();
    let mut i = 0;
    let mut braces: Vec<usize> = Vec::new();
    while i < b.len() {
        match b[i] {
            b'%' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if i + 1 < b.len() && b[i + 1] == b'*' => {
                let start = i;
                i += 2;
                loop {
                    if i + 1 >= b.len() {
                        return Err(ParseError {
                            message: "unterminated comment: '/*' has no closing '*/'".into(),
                            span: (start as u32, start as u32 + 2),
                            incomplete: true,
                        });
                    }
                    if b[i] == b'*' && b[i + 1] == b'/' {
                        i += 1;
                        break;
                    }
                    i += 1;
                }
            }
            b'(' => {
                let start = i;
                let mut depth = 0usize;
                loop {
                    if i >= b.len() {
                        return Err(ParseError {
                            message: "unterminated string: '(' has no matching ')'".into(),
                            span: (start as u32, start as u32 + 1),
                            incomplete: true,
                        });
                    }
                    match b[i] {
                        b'\\' => i += 1,
                        b'(' => depth += 1,
                        b')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
            }
            b')' => {
                return Err(ParseError {
                    message: "unbalanced ')': no string is open".into(),
                    span: (i as u32, i as u32 + 1),
                    incomplete: false,
                })
            }
            b'{' => braces.push(i),
            b'}' if braces.pop().is_none() => {
                return Err(ParseError {
                    message: "unbalanced '}': no procedure is open".into(),
                    span: (i as u32, i as u32 + 1),
                    incomplete: false,
                });
            }
            _ => {}
        }
        i += 1;
    }
    if let Some(&open) = braces.last() {
        return Err(ParseError {
            message: format!(
                "unbalanced braces: '{{' is never closed ({} procedure{} still open at end of input)",
                braces.len(),
                if braces.len() == 1 { "" } else { "s" }
            ),
            span: (open as u32, open as u32 + 1),
            incomplete: true,
        });
    }
    Ok(())
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars().peekable();
    while let Some(c) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match it.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('\\') => out.push('\\'),
            Some('(') => out.push('('),
            Some(')') => out.push(')'),
            Some('"') => out.push('"'),
            Some('\n') => {}
            Some(o) => {
                out.push('\\');
                out.push(o);
            }
            None => out.push('\\'),
        }
    }
    out
}

fn convert(pair: pest::iterators::Pair<'_, Rule>) -> Option<Token> {
    let sp = pair.as_span();
    let span = (sp.start() as u32, sp.end() as u32);
    let kind = match pair.as_rule() {
        Rule::integer => match pair.as_str().parse::<i64>() {
            Ok(i) => TokKind::Int(i),
            Err(_) => TokKind::Double(pair.as_str().parse::<f64>().unwrap_or(f64::NAN)),
        },
        Rule::double => TokKind::Double(pair.as_str().parse::<f64>().unwrap_or(f64::NAN)),
        Rule::string => {
            let body = pair.into_inner().next().map(|p| p.as_str()).unwrap_or("");
            TokKind::Str(unescape(body))
        }
        Rule::literal => TokKind::Literal(pair.as_str()[1..].to_string()),
        Rule::name | Rule::bracket => TokKind::Name(pair.as_str().to_string()),
        Rule::proc => TokKind::Proc(pair.into_inner().filter_map(convert).collect()),
        _ => return None,
    };
    Some(Token { kind, span })
}

/// Parses a whole source text.
pub fn parse(src: &str) -> Result<Vec<Token>, ParseError> {
    check_balance(src)?;
    let mut pairs = SliParser::parse(Rule::program, src).map_err(|e| {
        let (a, b) = match e.location {
            pest::error::InputLocation::Pos(p) => (p, p + 1),
            pest::error::InputLocation::Span((a, b)) => (a, b),
        };
        ParseError {
            message: format!("syntax error: {}", e.variant.message()),
            span: (a as u32, b.min(src.len()).max(a) as u32),
            incomplete: false,
        }
    })?;
    let program = pairs.next().expect("program rule");
    Ok(program.into_inner().filter_map(convert).collect())
}

/// 1-based line and column of byte offset `pos` in `src`.
pub fn line_col(src: &str, pos: usize) -> (usize, usize) {
    let pos = pos.min(src.len());
    let before = &src[..pos];
    let line = before.matches('\n').count() + 1;
    let col = before.rfind('\n').map_or(pos, |n| pos - n - 1) + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(s: &str) -> Vec<TokKind> {
        parse(s).unwrap().into_iter().map(|t| t.kind).collect()
    }

    #[test]
    fn numbers() {
        use TokKind::*;
        assert_eq!(
            kinds("1 -70 1. .5 1e-3 +2"),
            vec![Int(1), Int(-70), Double(1.0), Double(0.5), Double(1e-3), Int(2)]
        );
        assert_eq!(kinds("3d 1.5.3"), vec![Name("3d".into()), Name("1.5.3".into())]);
    }

    #[test]
    fn names_and_punctuation() {
        use TokKind::*;
        assert_eq!(
            kinds("<< /a 1 >> == =only :: <- [1]"),
            vec![
                Name("<<".into()),
                Literal("a".into()),
                Int(1),
                Name(">>".into()),
                Name("==".into()),
                Name("=only".into()),
                Name("::".into()),
                Name("<-".into()),
                Name("[".into()),
                Int(1),
                Name("]".into())
            ]
        );
        assert_eq!(kinds("a/b/c"), vec![Name("a".into()), Literal("b".into()), Literal("c".into())]);
    }

    #[test]
    fn strings_comments_procs() {
        use TokKind::*;
        assert_eq!(kinds("(a (b) \\n\\)) % c\n/* d */ x"), vec![Str("a (b) \n)".into()), Name("x".into())]);
        assert_eq!(
            kinds("{1 {2}}"),
            vec![Proc(vec![
                Token { kind: Int(1), span: (1, 2) },
                Token { kind: Proc(vec![Token { kind: Int(2), span: (4, 5) }]), span: (3, 6) }
            ])]
        );
    }

    #[test]
    fn errors_have_own_messages() {
        let e = parse("1 2 (abc").unwrap_err();
        assert!(e.message.contains("unterminated string"), "{}", e.message);
        assert_eq!(e.span.0, 4);
        assert!(e.incomplete);
        let e = parse("{ 1 { 2 }").unwrap_err();
        assert!(e.message.contains("unbalanced braces"), "{}", e.message);
        let e = parse("1 }").unwrap_err();
        assert!(e.message.contains("unbalanced '}'"), "{}", e.message);
        assert!(!e.incomplete);
        assert_eq!(line_col("a\nbc\nd", 3), (2, 2));
    }
}
