//! The one error type of the registry's setup: a setting that cannot be
//! used, signed lists that cannot be loaded, a lookup-key file that cannot
//! be read or written, or the database. (Requests are refused with core's
//! [`ApiError`](yanzheng_core::online::ApiError) codes instead.)

use std::fmt;

use crate::db::DbError;

/// Why the registry cannot start (or reload).
#[derive(Debug)]
pub enum Error {
    /// A setting is not usable; the words name the flag.
    Config(String),
    /// The signed lists could not be loaded.
    Lists(String),
    /// The lookup-key file could not be read or written.
    KeyFile(String),
    /// The database.
    Database(DbError),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Config(m) | Error::Lists(m) | Error::KeyFile(m) => f.write_str(m),
            Error::Database(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Database(e) => Some(e),
            _ => None,
        }
    }
}

impl From<DbError> for Error {
    fn from(e: DbError) -> Self {
        Error::Database(e)
    }
}
