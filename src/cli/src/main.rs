//! `yanzheng`: the issuer tool. Keys, certificate signing (one or a CSV
//! batch), QR images, the root's signed trust and revocation lists, and
//! verification from the command line.
//!
//! Every format rule lives in `yanzheng-core`; this crate reads files, the
//! clock and the OS random source, and turns core's errors into messages with
//! hints. Exit status: 0 ok, 1 a check said no (verdict not acceptable, rows
//! that failed, an image without a code), 2 usage or I/O error.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod batch;
mod clock;
mod demo;
mod error;
mod files;
mod import;
mod keyfile;
mod keys;
mod lists;
mod qr;
mod revoke;
mod serve;
mod sign;
mod verify;

/// The yanzheng (验证) issuer tool for signed safety-certificate QR codes.
#[derive(Debug, Parser)]
#[command(name = "yanzheng", version)]
#[command(after_help = "Start with `yanzheng demo --out demo`, then \
`yanzheng verify --trust-list demo/trust-list --revocations demo/revocations --image demo/valid.png`.\n\n\
Exit status: 0 ok; 1 a check said no (verdict not acceptable, failed rows, no QR code); 2 usage or I/O error.")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Generate root and issuer keys.
    #[command(subcommand)]
    Keys(keys::KeysCommand),
    /// Sign or show the trust list (issuer keys believed by verifiers).
    #[command(subcommand)]
    TrustList(lists::TrustListCommand),
    /// Sign or show the revocation list (revoked certificate ids).
    #[command(subcommand)]
    Revocations(lists::RevocationsCommand),
    /// Sign a certificate (JSON) or a batch (CSV) into QR payloads and images.
    Sign(sign::SignArgs),
    /// Draw text as a QR image.
    Qr(qr::QrArgs),
    /// Print the text of the QR codes in images.
    Decode(qr::DecodeArgs),
    /// Verify a payload or a QR image against a trust list.
    Verify(verify::VerifyArgs),
    /// Write a demo world: keys, lists and one QR image per verdict.
    Demo(demo::DemoArgs),
    /// Import certificates or revocations into the registry's database.
    Import(import::ImportArgs),
    /// Run the registry service: online lookup, server-side verification,
    /// the signed lists and the widget.
    Serve(serve::ServeArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Keys(c) => keys::run(c),
        Command::TrustList(c) => lists::run_trust(c),
        Command::Revocations(c) => lists::run_revocations(c),
        Command::Sign(a) => sign::run(a),
        Command::Qr(a) => qr::run_qr(a),
        Command::Decode(a) => qr::run_decode(a),
        Command::Verify(a) => verify::run(a),
        Command::Demo(a) => demo::run(a),
        Command::Import(a) => import::run(a),
        Command::Serve(a) => serve::run(a),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            if !e.is_quiet() {
                eprintln!("{e}");
            }
            e.exit_code()
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn command_line_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
