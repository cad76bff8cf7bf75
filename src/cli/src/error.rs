//! The one error type of the CLI: a message for people, an optional hint, and
//! the exit status it maps to (2 for usage and I/O problems, 1 for a check
//! that ran and failed).

use std::fmt;
use std::io;
use std::path::Path;
use std::process::ExitCode;

/// Exit status: everything went well (for verify: the holder may work).
pub const EXIT_OK: u8 = 0;
/// Exit status: the check ran and the answer is "no" (a verdict that is not
/// acceptable, an image without a code, rows that failed to sign).
pub const EXIT_FAILED: u8 = 1;
/// Exit status: bad arguments, unreadable or unwritable files, bad key files.
pub const EXIT_USAGE: u8 = 2;

/// An error that ends a command, already phrased for the person at the terminal.
#[derive(Debug)]
pub struct CliError {
    exit: u8,
    message: String,
    hint: Option<String>,
    /// Nothing to tell: the reader of standard output went away (`| head`).
    quiet: bool,
}

/// The result of a command: the exit status it asks for, or an error.
pub type CliResult = Result<u8, CliError>;

impl CliError {
    /// Bad arguments or bad input files (exit 2).
    pub fn usage(message: impl Into<String>) -> CliError {
        CliError {
            exit: EXIT_USAGE,
            message: message.into(),
            hint: None,
            quiet: false,
        }
    }

    /// A check that ran and failed (exit 1).
    pub fn failed(message: impl Into<String>) -> CliError {
        CliError {
            exit: EXIT_FAILED,
            message: message.into(),
            hint: None,
            quiet: false,
        }
    }

    /// An I/O error on `path` while doing `action` ("read", "write", ...).
    pub fn io(action: &str, path: &Path, e: &io::Error) -> CliError {
        let hint = match e.kind() {
            io::ErrorKind::NotFound if action == "read" => {
                Some("check the path; relative paths start from the current directory".to_string())
            }
            io::ErrorKind::PermissionDenied => {
                Some("check the file's permissions and the directory's".to_string())
            }
            _ => None,
        };
        CliError {
            exit: EXIT_USAGE,
            message: format!("cannot {action} {}: {e}", path.display()),
            hint,
            quiet: false,
        }
    }

    /// Standard output could not be written (a closed pipe, a full disk).
    /// A closed pipe ends the command without a message, as with other
    /// Unix tools.
    pub fn stdout(e: &io::Error) -> CliError {
        let mut err = CliError::usage(format!("cannot write to standard output: {e}"));
        err.quiet = e.kind() == io::ErrorKind::BrokenPipe;
        err
    }

    /// True if the error needs no message.
    pub fn is_quiet(&self) -> bool {
        self.quiet
    }

    /// The message without the `error:` prefix and hint.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Adds a hint line.
    pub fn hint(mut self, hint: impl Into<String>) -> CliError {
        self.hint = Some(hint.into());
        self
    }

    /// The exit status.
    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(self.exit)
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error: {}", self.message)?;
        if let Some(h) = &self.hint {
            write!(f, "\n  hint: {h}")?;
        }
        Ok(())
    }
}

/// Writes a line to standard output, turning a write failure into a
/// [`CliError`] instead of the panic `println!` would give.
#[macro_export]
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*).map_err(|e| $crate::error::CliError::stdout(&e))
    }};
}
