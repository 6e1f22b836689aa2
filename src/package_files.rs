//! The files a package ships beside the binary: one man page per command and the shell
//! completion scripts, generated from the command-line definitions so they never drift from
//! `--help`. Used by packagers (`logleaks package-files DIR`, hidden); nothing here scans.

use std::path::{Path, PathBuf};

use clap_complete::Shell;

/// The shells whose completion scripts are written, in `completions/` under their usual names:
/// `logleaks.bash`, `_logleaks` (zsh) and `logleaks.fish`.
pub const SHELLS: [Shell; 3] = [Shell::Bash, Shell::Zsh, Shell::Fish];

/// Why the files could not be written: the path and the I/O error.
#[derive(Debug, thiserror::Error)]
#[error("{}: cannot write package files: {source}", path.display())]
pub struct PackageFilesError {
    /// The directory or file that could not be written.
    pub path: PathBuf,
    /// The underlying error.
    pub source: std::io::Error,
}

/// Writes `man/logleaks.1`, `man/logleaks-<command>.1` for every visible command, and the
/// completion scripts of [`SHELLS`] under `out_dir`, creating the directories when missing.
pub fn write(command: clap::Command, out_dir: &Path) -> Result<(), PackageFilesError> {
    let name = command.get_name().to_string();
    let man_dir = out_dir.join("man");
    let completions_dir = out_dir.join("completions");
    for dir in [&man_dir, &completions_dir] {
        std::fs::create_dir_all(dir).map_err(|source| PackageFilesError {
            path: dir.clone(),
            source,
        })?;
    }
    clap_mangen::generate_to(command.clone(), &man_dir).map_err(|source| PackageFilesError {
        path: man_dir.clone(),
        source,
    })?;
    for shell in SHELLS {
        let mut command = command.clone();
        clap_complete::generate_to(shell, &mut command, &name, &completions_dir).map_err(
            |source| PackageFilesError {
                path: completions_dir.clone(),
                source,
            },
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(dir: &Path, sub: &str) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir.join(sub))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn one_man_page_per_visible_command_and_one_script_per_shell() {
        let dir = tempfile::tempdir().unwrap();
        let command = <crate::cli::Cli as clap::CommandFactory>::command();
        write(command, dir.path()).unwrap();
        let command = <crate::cli::Cli as clap::CommandFactory>::command();
        let mut pages: Vec<String> = command
            .get_subcommands()
            .filter(|c| !c.is_hide_set())
            .map(|c| format!("logleaks-{}.1", c.get_name()))
            .chain(["logleaks.1".to_string()])
            .collect();
        pages.sort();
        assert!(pages.contains(&"logleaks-scan.1".to_string()), "{pages:?}");
        assert_eq!(written(dir.path(), "man"), pages);
        assert_eq!(
            written(dir.path(), "completions"),
            ["_logleaks", "logleaks.bash", "logleaks.fish"]
        );
        let scan = std::fs::read_to_string(dir.path().join("man/logleaks-scan.1")).unwrap();
        assert!(scan.contains("show\\-secrets"), "{scan}");
    }

    #[test]
    fn an_unwritable_directory_is_named_in_the_error() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("not-a-dir");
        std::fs::write(&file, b"").unwrap();
        let command = <crate::cli::Cli as clap::CommandFactory>::command();
        let error = write(command, &file).unwrap_err();
        assert!(error.to_string().contains("not-a-dir"), "{error}");
    }
}
