//! A mistake in a guide file, located the way editors and compilers do.

use std::fmt;

use serde::Serialize;

/// `path:line:column: message`, 1-based, columns in characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl Problem {
    pub fn new(path: &str, (line, column): (usize, usize), message: impl Into<String>) -> Problem {
        Problem {
            path: path.to_owned(),
            line,
            column,
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.path, self.line, self.column, self.message
        )
    }
}

pub(crate) use tobira_core::position::line_column;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_like_a_compiler() {
        assert_eq!(
            Problem::new("a.md", (3, 2), "bad").to_string(),
            "a.md:3:2: bad"
        );
    }
}
