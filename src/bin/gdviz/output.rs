//! Where the command line's output goes, and what a failure to write it means: a file is written
//! to a temporary sibling and renamed into place, so a failed write (a full disk) leaves the old
//! file as it was and no partial one; standard output reports every write error but a closed
//! pipe (`gdviz trace ... | head`), which is a quiet success.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Why output could not be written: a message naming what, and the error.
#[derive(Debug)]
pub struct WriteError(pub String);

/// Writes `path` with `write` through a temporary file beside it (same directory, so the rename
/// is atomic), flushed to disk, then renamed over `path`. On any failure the temporary file is
/// removed and `path` is untouched.
pub fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut File) -> io::Result<()>,
) -> Result<(), WriteError> {
    let fail =
        |what: &str, e: io::Error| WriteError(format!("cannot {what} {}: {e}", path.display()));
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "gdviz".into());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = File::create(&tmp)
        .map_err(|e| fail("write", e))
        .and_then(|mut f| {
            write(&mut f)
                .and_then(|()| f.sync_all())
                .map_err(|e| fail("write", e))
        })
        .and_then(|()| fs::rename(&tmp, path).map_err(|e| fail("replace", e)));
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Writes `text` to standard output. A closed pipe ends the output quietly (`Ok`); any other
/// failure (a full disk behind a redirection, `> /dev/full`) is an error.
pub fn emit(text: &str) -> Result<(), WriteError> {
    let mut stdout = io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(WriteError(format!("cannot write the output: {e}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir() -> PathBuf {
        let d = std::env::temp_dir().join(format!("gdviz-output-{}", std::process::id()));
        fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_other() {
        let d = dir();
        let path = d.join("figure.png");
        fs::write(&path, b"the good old figure").unwrap();
        let r = write_atomically(&path, |f| {
            f.write_all(b"half a fig")?;
            Err(io::Error::other("No space left on device"))
        });
        assert!(r.unwrap_err().0.contains("No space left"));
        assert_eq!(fs::read(&path).unwrap(), b"the good old figure");
        let left: Vec<_> = fs::read_dir(&d)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(
            left,
            vec![std::ffi::OsString::from("figure.png")],
            "no temporary file left"
        );
        // A good write replaces it whole.
        write_atomically(&path, |f| f.write_all(b"new")).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new");
        // A directory that cannot be written to: an error, nothing created.
        let r = write_atomically(Path::new("/proc/gdviz-no/x.svg"), |f| f.write_all(b"x"));
        assert!(r.is_err());
        fs::remove_dir_all(&d).unwrap();
    }
}
