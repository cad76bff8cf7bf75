//! Reading and writing files with errors that name the path, and the rule
//! that secret files are private and never overwritten by accident.

use std::fs::{self, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use crate::error::CliError;

/// Largest input file the tool reads into memory (a revocation list for the
/// whole country is a few MB; core refuses anything above 200 MB anyway).
pub const MAX_INPUT_BYTES: u64 = 256 << 20;

/// Reads a whole file, refusing absurd sizes.
pub fn read(path: &Path) -> Result<Vec<u8>, CliError> {
    let file = fs::File::open(path).map_err(|e| CliError::io("read", path, &e))?;
    let mut bytes = Vec::new();
    file.take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| CliError::io("read", path, &e))?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(CliError::usage(format!(
            "{} is larger than {} MB",
            path.display(),
            MAX_INPUT_BYTES >> 20
        )));
    }
    Ok(bytes)
}

/// Reads a UTF-8 text file.
pub fn read_text(path: &Path) -> Result<String, CliError> {
    String::from_utf8(read(path)?)
        .map_err(|_| CliError::usage(format!("{} is not UTF-8 text", path.display())))
}

/// Reads standard input as UTF-8 text.
pub fn read_stdin() -> Result<String, CliError> {
    let mut s = String::new();
    io::stdin()
        .take(MAX_INPUT_BYTES)
        .read_to_string(&mut s)
        .map_err(|e| CliError::usage(format!("cannot read standard input: {e}")))?;
    Ok(s)
}

/// Refuses to go on if `path` exists and `force` is not set.
pub fn check_overwrite(path: &Path, force: bool) -> Result<(), CliError> {
    if !force && path.exists() {
        return Err(
            CliError::usage(format!("{} already exists", path.display()))
                .hint("pass --force to overwrite it (a key file you overwrite is gone for good)"),
        );
    }
    Ok(())
}

/// Writes a file (creating its parent directory), replacing any old one.
pub fn write(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    create_parent(path)?;
    fs::write(path, bytes).map_err(|e| CliError::io("write", path, &e))
}

/// Writes a secret file readable by its owner only (mode 0600 on Unix).
/// Without `force`, fails if the file exists (checked atomically).
pub fn write_secret(path: &Path, bytes: &[u8], force: bool) -> Result<(), CliError> {
    create_parent(path)?;
    let mut opts = OpenOptions::new();
    opts.write(true);
    if force {
        opts.create(true).truncate(true);
    } else {
        opts.create_new(true);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut file = opts.open(path).map_err(|e| {
        if e.kind() == io::ErrorKind::AlreadyExists {
            CliError::usage(format!("{} already exists", path.display()))
                .hint("pass --force to overwrite it (a key file you overwrite is gone for good)")
        } else {
            CliError::io("write", path, &e)
        }
    })?;
    // An existing file keeps its old mode when truncated: tighten it.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(fs::Permissions::from_mode(0o600))
            .map_err(|e| CliError::io("set permissions on", path, &e))?;
    }
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(|e| CliError::io("write", path, &e))
}

/// Creates a directory and its parents.
pub fn create_dir(path: &Path) -> Result<(), CliError> {
    fs::create_dir_all(path).map_err(|e| CliError::io("create directory", path, &e))
}

fn create_parent(path: &Path) -> Result<(), CliError> {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => create_dir(p),
        _ => Ok(()),
    }
}

/// The file next to `path` called `name` (same directory).
pub fn sibling(path: &Path, name: &str) -> PathBuf {
    match path.parent() {
        Some(p) => p.join(name),
        None => PathBuf::from(name),
    }
}

/// The lowercased extension of a path, if any.
pub fn extension(path: &Path) -> Option<String> {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
}
