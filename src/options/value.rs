//! Option values before validation, and reading them: numbers, whole numbers, names, pairs, and
//! the compact `key:value,...;...` text of run lists.

use crate::error::Error;
use crate::expr;

/// A value given for an option, before validation.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A number.
    Num(f64),
    /// A string (numbers written as text are accepted where a number is expected).
    Str(String),
    /// A point `[x, y]`.
    Pair(f64, f64),
    /// `null` or `undefined`: back to the default, where the option has one.
    Null,
    /// A list of option sets (the `runs`, or the older `race`, entries).
    Entries(Vec<Vec<(String, Value)>>),
}

impl Value {
    /// The value as a number; text is parsed.
    pub(crate) fn number(&self, key: &str) -> Result<f64, Error> {
        match self {
            Value::Num(v) => Ok(*v),
            Value::Str(s) => s
                .trim()
                .parse::<f64>()
                .map_err(|_| Error::new(key, format!("expected a number, got '{}'", clip(s)))),
            _ => Err(Error::new(key, "expected a number")),
        }
    }

    /// The value as a whole number from `lo` to `hi`.
    pub(crate) fn count(&self, key: &str, lo: u64, hi: u64) -> Result<u64, Error> {
        let v = self.number(key)?;
        if v.fract() != 0.0 || v < lo as f64 || v > hi as f64 {
            return Err(Error::new(
                key,
                format!(
                    "expected a whole number from {lo} to {hi}, got {}",
                    expr::format_number(v)
                ),
            ));
        }
        Ok(v as u64)
    }

    /// The value as a name.
    pub(crate) fn text(&self, key: &str) -> Result<&str, Error> {
        match self {
            Value::Str(s) => Ok(s),
            _ => Err(Error::new(key, "expected a name")),
        }
    }

    /// Whether this is `null`, or text that is empty (a link's `key=`): "the default".
    pub(crate) fn is_default(&self) -> bool {
        match self {
            Value::Null => true,
            Value::Str(s) => s.trim().is_empty(),
            _ => false,
        }
    }
}

/// Two numbers written `min,max` (as in a URL).
pub(crate) fn pair_text(key: &str, t: &str) -> Result<(f64, f64), Error> {
    let bad = || {
        Error::new(
            key,
            format!("expected two numbers min,max, got '{}'", clip(t)),
        )
    };
    let (a, b) = t.split_once(',').ok_or_else(bad)?;
    match (a.trim().parse::<f64>(), b.trim().parse::<f64>()) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        _ => Err(bad()),
    }
}

/// Run entries written compactly (as in a URL): entries separated by `;`, each a list of
/// `key:value` separated by `,`, e.g. `optimizer:sgd,lr:0.01;optimizer:adam,lr:0.05`. A value
/// may hold commas itself (`etas:0.5,1.2`, `schedule:cosine:t_max=100,eta_min=0`): a piece with
/// no `:` continues the value before it. `key` names the option the list belongs to (`runs` or
/// `race`), for messages. An empty text is no entry; an empty entry (nothing between two `;`)
/// is an entry that changes nothing.
pub fn parse_entries(key: &str, text: &str) -> Result<Vec<Vec<(String, Value)>>, Error> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    text.split(';')
        .enumerate()
        .map(|(i, entry)| {
            let mut pairs: Vec<(String, String)> = Vec::new();
            for piece in entry.split(',') {
                match (piece.split_once(':'), pairs.last_mut()) {
                    (Some((k, v)), _) => pairs.push((k.trim().to_string(), v.trim().to_string())),
                    (None, Some((_, v))) => {
                        v.push(',');
                        v.push_str(piece.trim());
                    }
                    (None, None) if piece.trim().is_empty() && !entry.contains(',') => {}
                    (None, None) => {
                        return Err(Error::new(
                            key,
                            format!(
                                "entry {}: expected key:value, got '{}' (write e.g. optimizer:sgd,lr:0.01;optimizer:adam,lr:0.05)",
                                i + 1,
                                clip(piece)
                            ),
                        ))
                    }
                }
            }
            Ok(pairs
                .into_iter()
                .map(|(k, v)| (k, Value::Str(v)))
                .collect())
        })
        .collect()
}

/// Race entries written compactly; see [`parse_entries`].
pub fn parse_race(text: &str) -> Result<Vec<Vec<(String, Value)>>, Error> {
    parse_entries("race", text)
}

pub(crate) use crate::format::clip;
