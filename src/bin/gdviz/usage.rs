//! clap's parse errors as the one line the README promises: the argument, what was wrong and
//! what it takes (`error: invalid --steps: '-5' is not a whole number ≥ 0`), instead of clap's
//! three-line message with a usage and a help hint.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::CommandFactory;

/// What a flag takes, for the flags whose parser says only what was wrong.
fn takes(flag: &str) -> Option<&'static str> {
    Some(match flag {
        "--steps" => "a whole number ≥ 0",
        "--seed" => "a whole number from 0 to 18446744073709551615",
        "--batch-size" => "a whole number ≥ 0",
        "--width" | "--height" => "a whole number from 320 to 4096",
        "--lr" | "--momentum" | "--beta1" | "--beta2" | "--eps" | "--decay" | "--noise" => {
            "a number"
        }
        "--start" => "two numbers X,Y, e.g. -1.2,1",
        "--xrange" | "--yrange" => "two numbers MIN,MAX, e.g. -4,4",
        "--param" => "NAME=VALUE, e.g. kappa=100",
        "--out" => "a file name ending in .svg or .png",
        "--format" => "csv or json",
        _ => return None,
    })
}

/// A context value as text (a list joined with ", ").
fn text(v: &ContextValue) -> Option<String> {
    match v {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(v) if !v.is_empty() => Some(v.join(", ")),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        ContextValue::StyledStrs(v) if !v.is_empty() => Some(
            v.iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
                .join(", "),
        ),
        ContextValue::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The flag of an argument as clap shows it (`--steps <N>` → `--steps`).
fn flag_of(arg: &str) -> String {
    arg.split_whitespace().next().unwrap_or(arg).to_string()
}

/// The flags `command` takes (`trace`, `render`), for an unknown one.
fn flags_of(command: &str) -> String {
    let cli = crate::cli::Cli::command();
    let Some(sub) = cli.find_subcommand(command) else {
        return String::new();
    };
    sub.get_arguments()
        .filter_map(|a| a.get_long().map(|l| format!("--{l}")))
        .filter(|l| l != "--help")
        .collect::<Vec<_>>()
        .join(", ")
}

/// clap's error `e` (for the arguments `args`) as one line without the `error: ` prefix; `None`
/// for help and version output, which clap prints itself.
pub fn one_line(e: &clap::Error, args: &[String]) -> Option<String> {
    let get = |k: ContextKind| e.get(k).and_then(text);
    let command = args
        .iter()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .cloned()
        .unwrap_or_default();
    let arg = get(ContextKind::InvalidArg).map(|a| flag_of(&a));
    let value = get(ContextKind::InvalidValue);
    let line = match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => return None,
        ErrorKind::InvalidSubcommand
        | ErrorKind::MissingSubcommand
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => format!(
            "{}a command is needed: trace, render or list (gdviz COMMAND --help for its options)",
            get(ContextKind::InvalidSubcommand)
                .map(|v| format!("unknown command '{v}'; "))
                .unwrap_or_default()
        ),
        ErrorKind::UnknownArgument => format!(
            "unknown argument {}; {command} takes {}",
            arg.unwrap_or_default(),
            flags_of(&command)
        ),
        ErrorKind::InvalidValue => {
            let arg = arg.unwrap_or_default();
            let allowed = get(ContextKind::ValidValue)
                .or_else(|| takes(&arg).map(String::from))
                .unwrap_or_else(|| "a value".into());
            match value {
                Some(v) if !v.is_empty() => format!("invalid {arg}: '{v}'; expected {allowed}"),
                _ => format!("invalid {arg}: a value is missing; expected {allowed}"),
            }
        }
        ErrorKind::ValueValidation => {
            let arg = arg.unwrap_or_default();
            let why = std::error::Error::source(e)
                .map(|s| s.to_string())
                .unwrap_or_else(|| "not accepted".into());
            let expected = takes(&arg)
                .map(|t| format!("; expected {t}"))
                .unwrap_or_default();
            format!(
                "invalid {arg}: '{}': {why}{expected}",
                value.unwrap_or_default()
            )
        }
        ErrorKind::ArgumentConflict => format!(
            "{} cannot be given with {}",
            arg.unwrap_or_default(),
            get(ContextKind::PriorArg)
                .map(|a| flag_of(&a))
                .unwrap_or_else(|| "another option given".into())
        ),
        ErrorKind::MissingRequiredArgument => {
            let missing = get(ContextKind::InvalidArg)
                .map(|a| flag_of(&a))
                .unwrap_or_default();
            match missing.as_str() {
                "--expr" => "missing --expr: --xrange and --yrange set the view of a typed function (--expr \"F(X,Y)\")".to_string(),
                "--out" => format!("missing --out: {command} needs --out FILE, a file name ending in .svg or .png"),
                m => format!("missing {m}; see gdviz {command} --help"),
            }
        }
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues => {
            format!(
                "{} given more than once or with too many values",
                arg.unwrap_or_default()
            )
        }
        _ => e
            .to_string()
            .lines()
            .next()
            .unwrap_or("invalid arguments")
            .trim_start_matches("error: ")
            .to_string(),
    };
    // One line, whatever a value held.
    Some(line.replace(['\n', '\r'], " "))
}
