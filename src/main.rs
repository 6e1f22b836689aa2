//! The `logleaks` command: parses the command line, runs it, exits with its code.

use clap::Parser;

fn main() {
    // A bug must never print a backtrace or a value (which could be a secret): only where it
    // happened.
    std::panic::set_hook(Box::new(|info| {
        let place = info
            .location()
            .map_or_else(String::new, |l| format!(" at {}:{}", l.file(), l.line()));
        eprintln!("logleaks: internal error{place}; please report it");
    }));
    let cli = logleaks::cli::Cli::parse();
    let code =
        std::panic::catch_unwind(|| logleaks::app::run(cli)).unwrap_or(logleaks::app::EXIT_ERROR);
    std::process::exit(code);
}
