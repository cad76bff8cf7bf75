//! `yanzheng serve`: the registry service. Today it serves the widget with a
//! demo world's configuration and signed lists; the online lookup and
//! databases arrive with the registry issue.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Args;
use yanzheng_registry::Site;

use crate::error::{CliError, CliResult, EXIT_OK};

/// Arguments of `serve`.
#[derive(Debug, Args)]
#[command(
    after_help = "Prints `yanzheng: serving http://ADDR/` once listening; stops on Ctrl-C or SIGTERM.\n\n\
Example: yanzheng demo --out demo && yanzheng serve --demo demo"
)]
pub struct ServeArgs {
    /// A folder written by `yanzheng demo --out DIR`: its config.json,
    /// trust-list and revocations are served to the widget.
    #[arg(long, value_name = "DIR")]
    demo: PathBuf,
    /// The widget's static files (www/ with the built pkg/).
    #[arg(long, value_name = "DIR", default_value = "www")]
    www: PathBuf,
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
}

/// Runs `serve`.
pub fn run(args: ServeArgs) -> CliResult {
    for (what, dir) in [("--demo", &args.demo), ("--www", &args.www)] {
        if !dir.is_dir() {
            return Err(CliError::usage(format!(
                "{what} {} is not a folder",
                dir.display()
            )));
        }
    }
    if !args.www.join("pkg").is_dir() {
        eprintln!(
            "warning: {} has no pkg/ folder: build the widget first (cargo xtask build-widget)",
            args.www.display()
        );
    }
    yanzheng_registry::run_blocking(
        args.addr,
        Site {
            www: args.www,
            data: args.demo,
        },
    )
    .map_err(|e| CliError::usage(format!("cannot serve on {}: {e}", args.addr)))?;
    Ok(EXIT_OK)
}
