//! Render stage: typed results → text for people, JSON/CSV for programs.
//! Every printer writes to any `Write`, so tests print into a `Vec<u8>`.

pub mod alert;
pub mod cites;
pub mod csv;
pub mod json;
pub mod show;
pub mod stats;
pub mod text;

/// How to show highlighted words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Bold on a terminal.
    Color,
    Plain,
}

impl Style {
    /// `text` in bold on a terminal, as it is otherwise.
    pub fn bold(self, text: &str) -> String {
        match self {
            Style::Color => format!("\x1b[1m{text}\x1b[0m"),
            Style::Plain => text.to_owned(),
        }
    }
}
