//! What standard output is connected to, and what follows from it: whether findings are flushed
//! as they are found, whether the table is sized to a terminal, and whether it is coloured.
//!
//! Only facts about the process's own streams and environment live here; how a report looks is
//! decided in [`crate::report`].

use std::io::IsTerminal;

/// `--color`: when to colour the table's severities.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// When standard output is a terminal and `NO_COLOR` is not set (to a non-empty value).
    #[default]
    Auto,
    /// Always, even into a pipe or a file.
    Always,
    /// Never.
    Never,
}

impl ColorChoice {
    /// Whether to colour output that goes to a terminal when `to_terminal`.
    pub fn enabled(self, to_terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }
}

/// What standard output is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stdout {
    /// A terminal: people read it as it comes.
    Terminal,
    /// A pipe, socket or device: another program may read it as it comes.
    Stream,
    /// A regular file: nobody waits for each line.
    File,
}

impl Stdout {
    /// Looks at this process's standard output.
    pub fn detect() -> Stdout {
        let stdout = std::io::stdout();
        if stdout.is_terminal() {
            return Stdout::Terminal;
        }
        #[cfg(unix)]
        {
            use std::os::fd::AsFd;
            let is_file = stdout
                .as_fd()
                .try_clone_to_owned()
                .map(std::fs::File::from)
                .and_then(|f| f.metadata())
                .is_ok_and(|m| m.is_file());
            if is_file {
                return Stdout::File;
            }
        }
        Stdout::Stream
    }

    /// True when findings should reach the reader as soon as they are found.
    pub fn is_read_live(self) -> bool {
        self != Stdout::File
    }
}

/// The width of the terminal standard output is on: `COLUMNS` when it is set to a number (so
/// that a user or a test can choose), else what the terminal says, else 80.
pub fn terminal_width() -> usize {
    if let Some(columns) = std::env::var("COLUMNS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|&n| n > 0)
    {
        return columns;
    }
    terminal_size::terminal_size_of(std::io::stdout())
        .map(|(w, _)| usize::from(w.0))
        .filter(|&w| w > 0)
        .unwrap_or(80)
}
