//! `gdviz schema`: the core's option specs (`gdviz::options::schema`) as JSON, for front ends
//! that check a value before handing it to the core. The Python widget's wheel carries this
//! output as `gdviz/schema.json` (`cargo xtask wheel` writes it).

use gdviz::optim::Bounds;
use gdviz::options::schema::{self, Kind, OptionSpec, Scope};
use gdviz::options::MAX_RUNS;
use serde_json::{json, Map, Value};

/// The version of the JSON's layout: a reader refuses one it does not know.
pub const LAYOUT: u32 = 1;

/// A bound as JSON: `null` for an infinite end (JSON has no infinity).
fn end(v: f64) -> Value {
    if v.is_finite() {
        json!(v)
    } else {
        Value::Null
    }
}

fn bounds(b: Bounds) -> Value {
    json!({ "min": end(b.min), "max": end(b.max), "min_open": b.min_open, "max_open": b.max_open })
}

fn spec(s: &OptionSpec) -> Value {
    let mut o = Map::new();
    o.insert("name".into(), json!(s.name));
    let scope = match s.scope {
        Scope::Shared => "shared",
        Scope::Run => "run",
        Scope::Network => "network",
        Scope::Surface(name) => {
            o.insert("surface".into(), json!(name));
            "surface"
        }
    };
    o.insert("scope".into(), json!(scope));
    let kind = match &s.kind {
        Kind::Number(b) => {
            o.insert("bounds".into(), bounds(*b));
            "number"
        }
        Kind::Whole { min, max } => {
            o.insert("min".into(), json!(min));
            o.insert("max".into(), json!(max));
            "whole"
        }
        Kind::Pair {
            first,
            second,
            ordered,
        } => {
            o.insert("first".into(), bounds(*first));
            o.insert("second".into(), bounds(*second));
            o.insert("ordered".into(), json!(ordered));
            "pair"
        }
        Kind::Flag => "flag",
        Kind::Choice(names) => {
            o.insert("choices".into(), json!(names));
            "choice"
        }
        Kind::Text { max_len } => {
            o.insert("max_len".into(), json!(max_len));
            "text"
        }
        Kind::Widths { layers, min, max } => {
            o.insert("layers".into(), json!(layers));
            o.insert("min".into(), json!(min));
            o.insert("max".into(), json!(max));
            "widths"
        }
        Kind::Runs { max } => {
            o.insert("max".into(), json!(max));
            "runs"
        }
    };
    o.insert("kind".into(), json!(kind));
    o.insert("nullable".into(), json!(s.nullable));
    o.insert("page_checks".into(), json!(s.page_checks));
    o.insert("legacy".into(), json!(s.legacy));
    Value::Object(o)
}

/// The whole schema, pretty-printed, with a final newline.
pub fn json() -> String {
    let options: Vec<Value> = schema::options().iter().map(spec).collect();
    let doc = json!({
        "layout": LAYOUT,
        "gdviz": env!("CARGO_PKG_VERSION"),
        "max_runs": MAX_RUNS,
        "options": options,
    });
    let mut text = serde_json::to_string_pretty(&doc).expect("JSON of plain values");
    text.push('\n');
    text
}
