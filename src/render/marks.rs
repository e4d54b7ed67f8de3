//! The marks on the plot — the minima, the start and the point shown — and what a key says of
//! each. They are drawn above every path, each on a white halo, so a run that ends on a minimum
//! cannot hide it.

use crate::surface::Minimum;

/// A kind of mark on the plot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// A global minimum: a white star.
    Global,
    /// A local minimum: a pale disc.
    Local,
    /// The start: a white square.
    Start,
    /// The point shown: a large ringed dot in the run's colour.
    Current,
}

/// One entry of a key: the mark, its symbol in text and what it means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyEntry {
    /// The mark.
    pub mark: Mark,
    /// The mark as a character, for a key in text.
    pub symbol: &'static str,
    /// What it stands for.
    pub meaning: &'static str,
}

/// Every mark the plot may show, in the order a key lists them.
pub const MARKS: [KeyEntry; 4] = [
    KeyEntry {
        mark: Mark::Global,
        symbol: "★",
        meaning: "global minimum",
    },
    KeyEntry {
        mark: Mark::Local,
        symbol: "○",
        meaning: "local minimum",
    },
    KeyEntry {
        mark: Mark::Start,
        symbol: "□",
        meaning: "start",
    },
    KeyEntry {
        mark: Mark::Current,
        symbol: "●",
        meaning: "point shown",
    },
];

/// The key of a plot of a surface with `minima`: the marks it shows, in [`MARKS`] order (no
/// star where no minimum is global, no disc where none is local).
pub fn key(minima: &[Minimum]) -> Vec<KeyEntry> {
    MARKS
        .iter()
        .filter(|e| match e.mark {
            Mark::Global => minima.iter().any(|m| m.global),
            Mark::Local => minima.iter().any(|m| !m.global),
            Mark::Start | Mark::Current => true,
        })
        .copied()
        .collect()
}

/// Radius of the ring that shows the point shown where it sits under a mark, CSS pixels: just
/// outside the star's tips and their halo.
pub const RING_AROUND: f64 = 10.5;
/// Width of that ring, CSS pixels (drawn over a white halo twice as wide).
pub const RING_AROUND_WIDTH: f64 = 2.5;

/// Whether the point shown, at pixel `p`, sits under one of the marks at `marks` (pixels), at
/// `scale` device pixels per CSS pixel: the mark is drawn over its dot, so a ring around the
/// mark in the run's colour says where the run is.
pub fn under_a_mark(p: (f64, f64), marks: &[(f64, f64)], scale: f64) -> bool {
    let reach = super::look::STAR.0 * scale;
    marks.iter().any(|m| (m.0 - p.0).hypot(m.1 - p.1) <= reach)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_lists_only_the_marks_shown() {
        let global = Minimum {
            at: [0.0, 0.0],
            value: 0.0,
            global: true,
        };
        let local = Minimum {
            global: false,
            ..global
        };
        let marks = |m: &[Minimum]| key(m).iter().map(|e| e.mark).collect::<Vec<_>>();
        assert_eq!(marks(&[global, local]), MARKS.map(|e| e.mark));
        assert_eq!(marks(&[global]), [Mark::Global, Mark::Start, Mark::Current]);
        assert_eq!(marks(&[]), [Mark::Start, Mark::Current]);
        let text: Vec<String> = key(&[local])
            .iter()
            .map(|e| format!("{} {}", e.symbol, e.meaning))
            .collect();
        assert_eq!(text, ["○ local minimum", "□ start", "● point shown"]);
    }

    #[test]
    fn a_point_on_a_mark_is_under_it() {
        let marks = [(100.0, 100.0), (200.0, 50.0)];
        assert!(under_a_mark((103.0, 104.0), &marks, 1.0));
        assert!(!under_a_mark((110.0, 100.0), &marks, 1.0));
        assert!(under_a_mark((210.0, 50.0), &marks, 2.0));
        assert!(!under_a_mark((0.0, 0.0), &[], 1.0));
    }
}
