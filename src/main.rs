//! The `logleaks` command: parses the command line, runs it, exits with its code.

use clap::Parser;

fn main() {
    let cli = logleaks::cli::Cli::parse();
    std::process::exit(logleaks::app::run(cli));
}
