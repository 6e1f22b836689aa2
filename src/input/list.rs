//! `--files-from FILE|-`: the inputs to read, listed in a file or on standard input, one per line
//! (or NUL-separated with `-0`, for names that hold newlines).
//!
//! Only the list is read here; each entry is then walked as if it were named on the command line.

use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use super::describe_io_error;

/// How the entries of a list are separated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Separator {
    /// One entry per line (`\n`, a trailing `\r` is dropped); blank lines are ignored.
    Line,
    /// Entries end with a NUL byte (`find -print0`); empty entries are ignored.
    Nul,
}

/// Reads the list at `path` (`-`: standard input) into the paths it names, in order.
pub fn read_list(path: &Path, separator: Separator) -> Result<Vec<PathBuf>, String> {
    let shown = if path.as_os_str() == "-" {
        "standard input (--files-from -)".to_string()
    } else {
        format!("{} (--files-from)", path.display())
    };
    let reader: Box<dyn Read> = if path.as_os_str() == "-" {
        Box::new(io::stdin().lock())
    } else {
        Box::new(
            std::fs::File::open(path)
                .map_err(|e| format!("{shown}: cannot read the list: {}", describe_io_error(&e)))?,
        )
    };
    parse_list(reader, separator)
        .map_err(|e| format!("{shown}: cannot read the list: {}", describe_io_error(&e)))
}

/// The entries of a list read from `reader`.
fn parse_list(reader: impl Read, separator: Separator) -> io::Result<Vec<PathBuf>> {
    let byte = match separator {
        Separator::Line => b'\n',
        Separator::Nul => 0,
    };
    let mut reader = BufReader::new(reader);
    let mut entries = Vec::new();
    let mut entry = Vec::new();
    loop {
        entry.clear();
        if reader.read_until(byte, &mut entry)? == 0 {
            return Ok(entries);
        }
        if entry.last() == Some(&byte) {
            entry.pop();
        }
        if separator == Separator::Line && entry.last() == Some(&b'\r') {
            entry.pop();
        }
        if !entry.is_empty() {
            entries.push(path_from_bytes(&entry));
        }
    }
}

#[cfg(unix)]
fn path_from_bytes(bytes: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
}

#[cfg(not(unix))]
fn path_from_bytes(bytes: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_drop_blank_entries_and_crlf() {
        let list = parse_list(&b"a.log\r\n\n dir/b c.log\nlast"[..], Separator::Line).unwrap();
        assert_eq!(
            list,
            [
                PathBuf::from("a.log"),
                PathBuf::from(" dir/b c.log"),
                PathBuf::from("last")
            ]
        );
    }

    #[test]
    fn nul_separated_names_may_hold_newlines() {
        let list = parse_list(&b"a\nb.log\0\0c.log\0"[..], Separator::Nul).unwrap();
        assert_eq!(list, [PathBuf::from("a\nb.log"), PathBuf::from("c.log")]);
    }
}
