//! Errors as values: every message names what was wrong and what would be accepted.

use std::fmt;

/// A rejected input: the option it concerns (`lr`, `surface`, `batch`, ...) and a message a user can
/// act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// The option name, as used in the CLI (`--lr`), the URL and the JavaScript API (`lr`).
    pub option: String,
    /// What was wrong and what is allowed.
    pub message: String,
}

impl Error {
    /// An error about `option`.
    pub fn new(option: &str, message: impl Into<String>) -> Self {
        Error {
            option: option.to_string(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.option, self.message)
    }
}

impl std::error::Error for Error {}
