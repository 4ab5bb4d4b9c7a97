//! The query language, parsed into a syntax tree: words, "phrases",
//! AND / OR / NOT (and + / -), parentheses, `field:value`, prefix*.
//! Errors give the 1-based column where the query went wrong. Pure.

use crate::error::{Error, Result};

/// The fields a query may name.
pub const FIELDS: [&str; 12] = [
    "item",
    "rationale",
    "summary",
    "drug",
    "class",
    "category",
    "guideline",
    "page",
    "specialty",
    "state",
    "outcome",
    "year",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// A word (prefix when it ended in `*`) in `field`, or in the text;
    /// `column` is where it starts, for errors found when it is searched.
    Word {
        field: Option<String>,
        text: String,
        prefix: bool,
        column: usize,
    },
    Phrase {
        field: Option<String>,
        text: String,
    },
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Phrase(String),
    Field(String),
    And,
    Or,
    Not,
    Plus,
    Open,
    Close,
}

/// The longest query, in characters: longer than any person writes, and
/// short enough that no query's parsing and searching take long.
pub const MAX_CHARS: usize = 10_000;

/// The most words and phrases in a query: each becomes a query of its own
/// over several fields, whose memory and time add up.
pub const MAX_WORDS: usize = 1_000;

/// Parses a query string; never panics. Refuses a query longer than
/// `MAX_CHARS` or of more than `MAX_WORDS` words and phrases.
pub fn parse(query: &str) -> Result<Node> {
    if query.chars().nth(MAX_CHARS).is_some() {
        return Err(at(
            MAX_CHARS + 1,
            &format!("the query is longer than {MAX_CHARS} characters; shorten it"),
        ));
    }
    let tokens = lex(query)?;
    let words = tokens
        .iter()
        .filter(|(_, t)| matches!(t, Tok::Word(_) | Tok::Phrase(_)) || is_field_value(t));
    if let Some((col, _)) = words.clone().nth(MAX_WORDS) {
        return Err(at(
            *col,
            &format!("the query has more than {MAX_WORDS} words; use fewer"),
        ));
    }
    if tokens.is_empty() {
        return Err(at(
            1,
            "the query is empty: give a word, a \"phrase\" or field:value",
        ));
    }
    let mut p = Parser {
        tokens,
        pos: 0,
        end: query.chars().count() + 1,
        depth: 0,
    };
    let node = p.or()?;
    match p.tokens.get(p.pos) {
        None => Ok(node),
        Some((col, Tok::Close)) => Err(at(*col, "unmatched `)`")),
        Some((col, _)) => Err(at(*col, "unexpected text")),
    }
}

fn at(column: usize, message: &str) -> Error {
    Error::Query {
        column,
        message: message.to_owned(),
    }
}

fn lex(query: &str) -> Result<Vec<(usize, Tok)>> {
    let chars: Vec<char> = query.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let col = i + 1;
        if c.is_whitespace() || c.is_control() {
            i += 1;
            continue;
        }
        match c {
            '(' => out.push((col, Tok::Open)),
            ')' => out.push((col, Tok::Close)),
            '+' => out.push((col, Tok::Plus)),
            '-' => out.push((col, Tok::Not)),
            '"' => {
                let close = chars[i + 1..].iter().position(|&c| c == '"');
                let Some(len) = close else {
                    return Err(at(col, "unterminated quote: a phrase needs a closing `\"`"));
                };
                let text: String = chars[i + 1..i + 1 + len].iter().collect();
                out.push((col, Tok::Phrase(text)));
                i += len + 2;
                continue;
            }
            _ => {
                let len = chars[i..]
                    .iter()
                    .position(|&c| c.is_whitespace() || c.is_control() || "()\"".contains(c))
                    .unwrap_or(chars.len() - i);
                let word: String = chars[i..i + len].iter().collect();
                i += len;
                out.push((col, word_token(&word, col)?));
                continue;
            }
        }
        i += 1;
    }
    Ok(out)
}

fn word_token(word: &str, col: usize) -> Result<Tok> {
    Ok(match word {
        "AND" | "&&" => Tok::And,
        "OR" | "||" => Tok::Or,
        "NOT" => Tok::Not,
        _ => match word.split_once(':') {
            Some((field, "")) => {
                check_field(field, col)?;
                Tok::Field(field.to_ascii_lowercase())
            }
            Some((field, value)) if FIELDS.contains(&field.to_ascii_lowercase().as_str()) => {
                // "page:111" arrives as one word; split it into field and value.
                return Ok(Tok::Field(format!(
                    "{}\u{0}{value}",
                    field.to_ascii_lowercase()
                )));
            }
            Some((field, _)) if field.chars().all(char::is_alphabetic) && !field.is_empty() => {
                return check_field(field, col).map(|()| Tok::Word(word.to_owned()));
            }
            _ => Tok::Word(word.to_owned()),
        },
    })
}

/// `page:111` written as one word: a field and its value.
fn is_field_value(tok: &Tok) -> bool {
    matches!(tok, Tok::Field(f) if f.contains('\u{0}'))
}

fn check_field(field: &str, col: usize) -> Result<()> {
    if FIELDS.contains(&field.to_ascii_lowercase().as_str()) {
        return Ok(());
    }
    Err(at(
        col,
        &format!("unknown field `{field}`: use one of {}", FIELDS.join(", ")),
    ))
}

struct Parser {
    tokens: Vec<(usize, Tok)>,
    pos: usize,
    /// The column just past the query, for "expected … at the end".
    end: usize,
    /// Open parentheses and operators being parsed, bounded so that no
    /// query can exhaust the stack.
    depth: usize,
}

/// Deeper nesting than any person writes.
const MAX_DEPTH: usize = 100;

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.pos).map(|(_, t)| t)
    }

    fn col(&self) -> usize {
        self.tokens.get(self.pos).map_or(self.end, |(c, _)| *c)
    }

    fn or(&mut self) -> Result<Node> {
        let mut parts = vec![self.and()?];
        while self.peek() == Some(&Tok::Or) {
            self.pos += 1;
            parts.push(self.and()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Node::Or(parts)
        })
    }

    fn and(&mut self) -> Result<Node> {
        let mut parts = vec![self.unary()?];
        loop {
            match self.peek() {
                Some(Tok::And) => {
                    self.pos += 1;
                    parts.push(self.unary()?);
                }
                None | Some(Tok::Or | Tok::Close) => break,
                Some(_) => parts.push(self.unary()?),
            }
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Node::And(parts)
        })
    }

    fn unary(&mut self) -> Result<Node> {
        match self.peek() {
            Some(Tok::Not) => {
                self.pos += 1;
                Ok(Node::Not(Box::new(self.nested(Self::unary)?)))
            }
            Some(Tok::Plus) => {
                self.pos += 1;
                self.nested(Self::unary)
            }
            _ => self.primary(),
        }
    }

    /// Parses what an operator or `(` governs, one level deeper.
    fn nested(&mut self, inner: fn(&mut Self) -> Result<Node>) -> Result<Node> {
        if self.depth == MAX_DEPTH {
            return Err(at(
                self.col(),
                &format!("nested more than {MAX_DEPTH} levels deep: simplify the query"),
            ));
        }
        self.depth += 1;
        let node = inner(self);
        self.depth -= 1;
        node
    }

    fn primary(&mut self) -> Result<Node> {
        let col = self.col();
        let Some(tok) = self.peek().cloned() else {
            return Err(at(
                col,
                "expected a word, a \"phrase\" or `(` here, at the end of the query",
            ));
        };
        self.pos += 1;
        match tok {
            Tok::Open => {
                let node = self.nested(Self::or)?;
                if self.peek() != Some(&Tok::Close) {
                    return Err(at(self.col(), "expected `)` to close the `(`"));
                }
                self.pos += 1;
                Ok(node)
            }
            Tok::Word(w) => word(None, &w, col),
            Tok::Phrase(p) => Ok(Node::Phrase {
                field: None,
                text: p,
            }),
            Tok::Field(f) => self.field_value(f, col),
            Tok::Close => Err(at(col, "unmatched `)`")),
            Tok::And | Tok::Or => Err(at(col, "expected a word before AND / OR")),
            Tok::Not | Tok::Plus => Err(at(col, "expected a word after NOT / - / +")),
        }
    }

    fn field_value(&mut self, f: String, col: usize) -> Result<Node> {
        if let Some((field, value)) = f.split_once('\u{0}') {
            return word(Some(field.to_owned()), value, col);
        }
        let vcol = self.col();
        match self.peek().cloned() {
            Some(Tok::Word(w)) => {
                self.pos += 1;
                word(Some(f), &w, vcol)
            }
            Some(Tok::Phrase(p)) => {
                self.pos += 1;
                Ok(Node::Phrase {
                    field: Some(f),
                    text: p,
                })
            }
            _ => Err(at(vcol, &format!("expected a value after `{f}:`"))),
        }
    }
}

fn word(field: Option<String>, w: &str, col: usize) -> Result<Node> {
    let (text, prefix) = match w.strip_suffix('*') {
        Some(stem) => (stem, true),
        None => (w, false),
    };
    if text.is_empty() || text.contains('*') {
        return Err(at(col, "a prefix needs letters before its `*`"));
    }
    if let Some(f) = field.as_deref() {
        if matches!(f, "page" | "year") && (prefix || text.parse::<u32>().is_err()) {
            return Err(at(
                col,
                &format!(
                    "`{f}:` takes a whole number, such as {f}:{}",
                    if f == "page" { 111 } else { 2016 }
                ),
            ));
        }
        if f == "outcome"
            && !["upheld", "overturned", "unknown"].contains(&text.to_ascii_lowercase().as_str())
        {
            return Err(at(col, "`outcome:` takes upheld, overturned or unknown"));
        }
    }
    Ok(Node::Word {
        field,
        text: text.to_owned(),
        prefix,
        column: col,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(text: &str, column: usize) -> Node {
        Node::Word {
            field: None,
            text: text.into(),
            prefix: false,
            column,
        }
    }

    fn column(q: &str) -> usize {
        match parse(q) {
            Err(Error::Query { column, .. }) => column,
            other => panic!("{q}: expected an error, got {other:?}"),
        }
    }

    #[test]
    fn operators_and_grouping() {
        assert_eq!(
            parse("norco OR (tramadol AND -acupuncture)").unwrap(),
            Node::Or(vec![
                w("norco", 1),
                Node::And(vec![
                    w("tramadol", 11),
                    Node::Not(Box::new(w("acupuncture", 25)))
                ]),
            ])
        );
        assert_eq!(parse("a b").unwrap(), Node::And(vec![w("a", 1), w("b", 3)]));
    }

    #[test]
    fn fields_phrases_prefixes() {
        assert_eq!(
            parse("page:111 \"topical analgesics\" cyclo*").unwrap(),
            Node::And(vec![
                Node::Word {
                    field: Some("page".into()),
                    text: "111".into(),
                    prefix: false,
                    column: 1
                },
                Node::Phrase {
                    field: None,
                    text: "topical analgesics".into()
                },
                Node::Word {
                    field: None,
                    text: "cyclo".into(),
                    prefix: true,
                    column: 31
                },
            ])
        );
        assert_eq!(
            parse("item: \"knee scooter\"").unwrap(),
            Node::Phrase {
                field: Some("item".into()),
                text: "knee scooter".into()
            }
        );
    }

    #[test]
    fn nesting_is_bounded() {
        let deep = |n: usize| format!("{}a{}", "(".repeat(n), ")".repeat(n));
        assert!(parse(&deep(100)).is_ok());
        assert_eq!(column(&deep(101)), 102);
        assert_eq!(column(&format!("{}a", "NOT ".repeat(2000))), 405);
        assert_eq!(column(&format!("{}a", "-".repeat(2000))), 102);
    }

    #[test]
    fn size_is_bounded() {
        let words = |n: usize| vec!["a"; n].join(" ");
        assert!(parse(&words(1000)).is_ok());
        assert_eq!(column(&words(1001)), 2001);
        assert!(parse(&vec!["\"a b\""; 1000].join(" ")).is_ok());
        assert_eq!(column(&vec!["page:1"; 1001].join(" ")), 7001);
        assert!(parse(&"a".repeat(10_000)).is_ok());
        assert_eq!(column(&"a".repeat(10_001)), 10_001);
        assert_eq!(column(&"é".repeat(10_001)), 10_001);
        assert!(parse(&"é".repeat(10_000)).is_ok());
    }

    #[test]
    fn errors_name_the_column() {
        assert_eq!(column("- *"), 3);
        assert_eq!(column("norco AND"), 10);
        assert_eq!(column("(norco"), 7);
        assert_eq!(column("norco)"), 6);
        assert_eq!(column("say \"topical"), 5);
        assert_eq!(column("pages:111"), 1);
        assert_eq!(column("page:abc"), 1);
        assert_eq!(column(""), 1);
        assert_eq!(column("OR norco"), 1);
    }
}
