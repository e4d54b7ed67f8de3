//! The code export: the selected run of a state as a standalone Python script (torch or NumPy)
//! that prints the same path as `gdviz trace`.

use gdviz::export::{numpy_script, torch_script};
use gdviz::options::{strict, Options};
use gdviz::share::{changes, parse_query};

/// The options a link query (against the defaults) describes, through the same validation as
/// `set()`; an error says which value was refused.
pub fn options(query: &str) -> Result<Options, String> {
    strict(&changes(&parse_query(query))).map_err(|e| format!("the state could not be read: {e}"))
}

/// The selected run of the state `query` describes as a script in `lang` (`torch` or `numpy`),
/// or why it cannot be written (a dataset loss in NumPy, L-BFGS in NumPy, an unknown language).
pub fn script(query: &str, lang: &str) -> Result<String, String> {
    if lang != "torch" && lang != "numpy" {
        return Err(format!(
            "code: unknown language '{}'; choose torch or numpy",
            gdviz::format::clip(lang)
        ));
    }
    let opts = options(query)?;
    let surface = opts.build_surface().map_err(|e| e.to_string())?;
    let cfg = opts.run_config(surface.as_ref(), opts.selected());
    let script = if lang == "torch" {
        torch_script(surface.as_ref(), &cfg)
    } else {
        numpy_script(surface.as_ref(), &cfg)
    };
    script.map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use gdviz::share::{query_pairs, query_string};

    /// The script from a query is the one the core writes for the same options.
    #[test]
    fn a_query_gives_the_cores_script() {
        let opts = options("surface=booth&optimizer=adam&lr=0.05&steps=30").unwrap();
        let query = query_string(&query_pairs(&opts, &Options::default()));
        let surface = opts.build_surface().unwrap();
        let cfg = opts.run_config(surface.as_ref(), 0);
        assert_eq!(
            script(&query, "torch").unwrap(),
            torch_script(surface.as_ref(), &cfg).unwrap()
        );
        assert_eq!(
            script(&query, "numpy").unwrap(),
            numpy_script(surface.as_ref(), &cfg).unwrap()
        );
    }

    /// Several runs: the selected one is written.
    #[test]
    fn the_selected_run_is_written() {
        let q = "runs=optimizer:sgd,lr:0.01;optimizer:adam,lr:0.05&selected=1";
        let text = script(q, "torch").unwrap();
        assert!(text.contains("torch.optim.Adam"), "{text}");
    }

    #[test]
    fn errors_say_what_to_do() {
        assert!(script("", "julia")
            .unwrap_err()
            .contains("choose torch or numpy"));
        assert!(script("lr=banana", "torch")
            .unwrap_err()
            .contains("the state could not be read"));
    }
}
