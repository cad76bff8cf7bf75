//! Storage: one sqlx `AnyPool` over SQLite (a file, WAL) or PostgreSQL, the
//! embedded migrations, the lookup key's settings, and the few queries the
//! registry makes. The SQL is portable (BIGINT, TEXT, `$n` placeholders,
//! `ON CONFLICT ... DO UPDATE`), so both databases run the same statements
//! and the same tests.

use std::fmt;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions, AnyRow};
use sqlx::{AnyConnection, AnyPool, Connection, Row};
use yanzheng_core::crypto::from_hex;
use yanzheng_core::{CertKind, Kid, RevokedSet, UnixTime};

use crate::privacy::{keys_equal, LookupKey};
use crate::record::CertificateRecord;

/// Which database a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// An SQLite file.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

impl Backend {
    /// `sqlite` or `postgres`.
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// A database problem, phrased for the operator.
#[derive(Debug)]
pub enum DbError {
    /// The database URL or path cannot be used.
    Config(String),
    /// The database answered with an error (or could not be reached).
    Sql {
        /// What we were doing.
        doing: &'static str,
        /// What sqlx said.
        source: sqlx::Error,
    },
    /// The lookup key does not fit the database, or the schema is newer than
    /// this program.
    Setup(String),
}

impl fmt::Display for DbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DbError::Config(m) | DbError::Setup(m) => f.write_str(m),
            DbError::Sql { doing, source } => write!(f, "database error while {doing}: {source}"),
        }
    }
}

impl std::error::Error for DbError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            DbError::Sql { source, .. } => Some(source),
            _ => None,
        }
    }
}

fn sql(doing: &'static str) -> impl FnOnce(sqlx::Error) -> DbError {
    move |source| DbError::Sql { doing, source }
}

/// A migration: version, name, SQL.
struct Migration {
    version: i64,
    name: &'static str,
    sql: &'static str,
}

/// The schema, in order. Never edit an applied migration: add a new one.
const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "certificates",
        sql: include_str!("../migrations/0001_certificates.sql"),
    },
    Migration {
        version: 2,
        name: "issuer keys",
        sql: include_str!("../migrations/0002_issuer_keys.sql"),
    },
    Migration {
        version: 3,
        name: "number and name index",
        sql: include_str!("../migrations/0003_number_name_index.sql"),
    },
];

/// A certificate id as stored: BIGINT has 63 bits and a sign, ids have 64
/// bits, so the column holds the same bits (ids from 2^63 read negative in
/// SQL; the program never compares them there).
fn id_to_sql(id: u64) -> i64 {
    i64::from_be_bytes(id.to_be_bytes())
}

fn id_from_sql(v: i64) -> u64 {
    u64::from_be_bytes(v.to_be_bytes())
}

/// A key id as stored ('' for rows from before keys were recorded).
fn kid_to_sql(kid: Option<&Kid>) -> String {
    kid.map(Kid::to_hex).unwrap_or_default()
}

fn kid_from_sql(s: &str) -> Option<Kid> {
    from_hex(s).and_then(|b| Kid::from_slice(&b))
}

/// The statements of a migration file: comment lines dropped, split at `;`.
fn statements(sql: &str) -> Vec<String> {
    let text: String = sql
        .lines()
        .filter(|l| !l.trim_start().starts_with("--"))
        .map(|l| format!("{l}\n"))
        .collect();
    text.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Any PostgreSQL advisory-lock number will do, as long as it is ours.
const MIGRATION_LOCK: i64 = 0x797a_6d69_6772;

/// Rows written per multi-row `INSERT` (12 values a row stays under
/// SQLite's 32,766 and PostgreSQL's 65,535 parameters).
pub const MAX_BATCH_ROWS: usize = 2000;

const COLUMNS: &str = "kid, cert_id, number_key, name_key, name_masked, number_masked, kind, \
                       region, issuer, fields, revoked, updated_at";

/// Turns a `--db` argument into a sqlx URL: `postgres://` and
/// `postgresql://` URLs as given; `sqlite:` URLs with `mode=rwc` added unless
/// a mode is set; anything else is an SQLite file path (created if missing).
pub fn database_url(spec: &str) -> Result<(Backend, String), DbError> {
    let spec = spec.trim();
    if spec.is_empty() {
        return Err(DbError::Config("the database path is empty".into()));
    }
    let lower = spec.to_ascii_lowercase();
    if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
        return Ok((Backend::Postgres, spec.to_string()));
    }
    if lower.starts_with("sqlite:") {
        let url = if spec.contains("mode=") {
            spec.to_string()
        } else if spec.contains('?') {
            format!("{spec}&mode=rwc")
        } else {
            format!("{spec}?mode=rwc")
        };
        return Ok((Backend::Sqlite, url));
    }
    if lower.contains("://") {
        return Err(DbError::Config(format!(
            "unsupported database URL `{}`: use a file path, sqlite:PATH or postgres://...",
            spec.split("://").next().unwrap_or_default()
        )));
    }
    // sqlx percent-decodes the path: escape what would be read as URL syntax.
    let mut path = String::with_capacity(spec.len());
    for c in spec.chars() {
        match c {
            '%' => path.push_str("%25"),
            '?' => path.push_str("%3F"),
            '#' => path.push_str("%23"),
            c => path.push(c),
        }
    }
    Ok((Backend::Sqlite, format!("sqlite://{path}?mode=rwc")))
}

/// How to open a database.
#[derive(Debug, Clone)]
pub struct OpenOptions {
    /// Most pooled connections.
    pub max_connections: u32,
    /// The lookup key, already read; `None` with no `lookup_key_file` keeps
    /// it in the settings table (generated when the database is created),
    /// beside the hashes it protects: for tests and tools only.
    pub lookup_key: Option<LookupKey>,
    /// The file the lookup key lives in (what the CLI always gives): read
    /// if it exists; else created (mode 0600) with the key the database
    /// still holds from before (which is then removed from the database),
    /// or with a fresh one.
    pub lookup_key_file: Option<std::path::PathBuf>,
    /// Tune SQLite for a bulk import: a 256 MiB page cache (the import
    /// writes all over the random-keyed number index) and WAL checkpoints
    /// every 64 MiB instead of 4 MiB (each checkpoint waits for an fsync).
    /// Lookups do best with SQLite's defaults: a 2 MiB cache a connection,
    /// the OS page cache holding the file for all of them.
    pub bulk_import: bool,
}

impl Default for OpenOptions {
    fn default() -> Self {
        OpenOptions {
            max_connections: 8,
            lookup_key: None,
            lookup_key_file: None,
            bulk_import: false,
        }
    }
}

/// A migrated database with its lookup key.
#[derive(Debug, Clone)]
pub struct Database {
    pool: AnyPool,
    backend: Backend,
    key: LookupKey,
}

/// What a batch upsert did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UpsertCount {
    /// Rows inserted or changed.
    pub written: u64,
    /// Rows already stored exactly so.
    pub unchanged: u64,
}

impl Database {
    /// Opens (creating and migrating if needed) the database `spec` names:
    /// an SQLite file path, a `sqlite:` URL or a `postgres://` URL.
    pub async fn open(spec: &str, options: OpenOptions) -> Result<Database, DbError> {
        sqlx::any::install_default_drivers();
        let (backend, url) = database_url(spec)?;
        let connect_options: AnyConnectOptions = url
            .parse()
            .map_err(|e| DbError::Config(format!("bad database URL: {e}")))?;

        // One connection sets up the file and the schema before the pool
        // opens: journal_mode needs a lock that busy_timeout does not wait for.
        let mut boot = AnyConnection::connect_with(&connect_options)
            .await
            .map_err(sql("connecting"))?;
        if backend == Backend::Sqlite {
            for pragma in ["PRAGMA busy_timeout = 5000", "PRAGMA journal_mode = WAL"] {
                sqlx::query(pragma)
                    .execute(&mut boot)
                    .await
                    .map_err(sql("setting up SQLite"))?;
            }
        }
        migrate(&mut boot, backend).await?;
        let key = match &options.lookup_key_file {
            Some(path) => key_from_file(&mut boot, path).await?,
            None => settle_lookup_key(&mut boot, backend, options.lookup_key).await?,
        };
        boot.close().await.map_err(sql("connecting"))?;

        let (cache_pragma, checkpoint_pragma) = if options.bulk_import {
            (
                "PRAGMA cache_size = -262144",
                "PRAGMA wal_autocheckpoint = 16384",
            )
        } else {
            (
                "PRAGMA cache_size = -2048",
                "PRAGMA wal_autocheckpoint = 1000",
            )
        };
        let pool = AnyPoolOptions::new()
            .max_connections(options.max_connections.max(1))
            .acquire_timeout(Duration::from_secs(5))
            // No ping before each use: for SQLite it is an extra round trip
            // to the connection's thread on every lookup, for PostgreSQL one
            // to the server. A broken connection fails its query (503) and
            // is replaced.
            .test_before_acquire(false)
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        for pragma in [
                            "PRAGMA busy_timeout = 5000",
                            "PRAGMA synchronous = NORMAL",
                            cache_pragma,
                            checkpoint_pragma,
                        ] {
                            sqlx::query(pragma).execute(&mut *conn).await?;
                        }
                    }
                    Ok(())
                })
            })
            .connect_with(connect_options)
            .await
            .map_err(sql("connecting"))?;
        Ok(Database { pool, backend, key })
    }

    /// SQLite or PostgreSQL.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The key that turns numbers and names into stored keys.
    pub fn lookup_key(&self) -> &LookupKey {
        &self.key
    }

    /// Closes every connection (waits for queries in flight).
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// True if the database answers.
    pub async fn ping(&self) -> Result<(), DbError> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map(|_| ())
            .map_err(sql("checking the database"))
    }

    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, DbError> {
        // SQLite: take the write lock up front, so a transaction never has to
        // upgrade a read snapshot (which fails instead of waiting).
        let statement = match self.backend {
            Backend::Sqlite => "BEGIN IMMEDIATE",
            Backend::Postgres => "BEGIN",
        };
        self.pool
            .begin_with(statement)
            .await
            .map_err(sql("starting a transaction"))
    }

    /// Inserts or updates `records` in one transaction: all of them are
    /// written, or none. A stored revocation is never undone by a later
    /// import. Records repeating a `(kid, cert_id)` keep the last one.
    pub async fn upsert(&self, records: &[CertificateRecord]) -> Result<UpsertCount, DbError> {
        if records.is_empty() {
            return Ok(UpsertCount::default());
        }
        // Keep the last record of each id: PostgreSQL refuses to update one
        // row twice in a statement.
        let mut seen = std::collections::HashSet::with_capacity(records.len());
        let mut unique: Vec<&CertificateRecord> = Vec::with_capacity(records.len());
        for r in records.iter().rev() {
            if seen.insert((r.kid, r.cert_id)) {
                unique.push(r);
            }
        }
        unique.reverse();

        let mut tx = self.begin_write().await?;
        let mut written = 0;
        for chunk in unique.chunks(MAX_BATCH_ROWS) {
            let sql_text = positional(self.backend, &upsert_sql(chunk.len()));
            let mut q = sqlx::query(&sql_text);
            for r in chunk {
                let fields = serde_json::to_string(&r.fields).map_err(|e| {
                    DbError::Setup(format!("cannot encode certificate fields: {e}"))
                })?;
                q = q
                    .bind(kid_to_sql(r.kid.as_ref()))
                    .bind(id_to_sql(r.cert_id))
                    .bind(r.number_key.clone())
                    .bind(r.name_key.clone())
                    .bind(r.name_masked.clone())
                    .bind(r.number_masked.clone())
                    .bind(r.kind.as_str())
                    .bind(i64::from(r.region))
                    .bind(r.issuer.clone())
                    .bind(fields)
                    .bind(i64::from(r.revoked))
                    .bind(unix_i64(r.updated_at));
            }
            written += q
                .execute(&mut *tx)
                .await
                .map_err(sql("writing certificates"))?
                .rows_affected();
        }
        tx.commit().await.map_err(sql("committing certificates"))?;
        Ok(UpsertCount {
            written,
            unchanged: (unique.len() as u64).saturating_sub(written),
        })
    }

    /// The certificates stored under both keys: the number's and the name's.
    /// An unknown number and a known number with another name do the same
    /// work (one index probe, no row read), so the time an answer takes
    /// does not tell whether the number is in the registry.
    pub async fn find_by_keys(
        &self,
        number_key: &str,
        name_key: &str,
    ) -> Result<Vec<CertificateRecord>, DbError> {
        let rows = sqlx::query(
            "SELECT kid, cert_id, number_key, name_key, name_masked, number_masked, kind, region, \
             issuer, fields, revoked, updated_at FROM certificates \
             WHERE number_key = $1 AND name_key = $2",
        )
        .bind(number_key.to_string())
        .bind(name_key.to_string())
        .fetch_all(&self.pool)
        .await
        .map_err(sql("looking up a certificate"))?;
        rows.iter().map(record_from_row).collect()
    }

    /// Every certificate stored under `number_key` (a person may hold several).
    pub async fn find_by_number_key(
        &self,
        number_key: &str,
    ) -> Result<Vec<CertificateRecord>, DbError> {
        let rows = sqlx::query(
            "SELECT kid, cert_id, number_key, name_key, name_masked, number_masked, kind, region, \
             issuer, fields, revoked, updated_at FROM certificates WHERE number_key = $1",
        )
        .bind(number_key.to_string())
        .fetch_all(&self.pool)
        .await
        .map_err(sql("looking up a certificate"))?;
        rows.iter().map(record_from_row).collect()
    }

    /// Marks `(kid, cert_id)` pairs revoked: remembered in `revoked` (known
    /// certificate or not) and flagged on stored certificates, in one
    /// transaction. Returns how many stored certificates changed.
    pub async fn revoke(&self, pairs: &[(Kid, u64)], now: UnixTime) -> Result<u64, DbError> {
        let mut tx = self.begin_write().await?;
        let mut changed = 0;
        for (kid, id) in pairs {
            let (kid, id) = (kid.to_hex(), id_to_sql(*id));
            sqlx::query(
                "INSERT INTO revoked (kid, cert_id, revoked_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (kid, cert_id) DO NOTHING",
            )
            .bind(kid.clone())
            .bind(id)
            .bind(unix_i64(now))
            .execute(&mut *tx)
            .await
            .map_err(sql("recording a revocation"))?;
            changed += sqlx::query(
                "UPDATE certificates SET revoked = 1, updated_at = $1 \
                 WHERE kid = $2 AND cert_id = $3 AND revoked = 0",
            )
            .bind(unix_i64(now))
            .bind(kid)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(sql("flagging a revoked certificate"))?
            .rows_affected();
        }
        tx.commit().await.map_err(sql("committing revocations"))?;
        Ok(changed)
    }

    /// Every revoked `(kid, cert_id)`: the `revoked` table and revoked
    /// certificates. Rows without a recorded key (imported before keys were
    /// recorded) cannot be named in a list and are counted apart.
    pub async fn revoked_set(&self) -> Result<(RevokedSet, u64), DbError> {
        let rows = sqlx::query(
            "SELECT kid, cert_id FROM revoked UNION SELECT kid, cert_id FROM certificates WHERE revoked <> 0",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(sql("reading revocations"))?;
        let mut pairs = Vec::with_capacity(rows.len());
        let mut without_key = 0;
        for row in &rows {
            let kid: String = row.try_get(0).map_err(sql("reading revocations"))?;
            let id: i64 = row.try_get(1).map_err(sql("reading revocations"))?;
            match kid_from_sql(&kid) {
                Some(kid) => pairs.push((kid, id_from_sql(id))),
                None => without_key += 1,
            }
        }
        Ok((RevokedSet::from_pairs(pairs), without_key))
    }

    /// SQLite's `PRAGMA integrity_check` (a consistent file after a crash);
    /// PostgreSQL needs no such check and just answers.
    pub async fn integrity_check(&self) -> Result<(), DbError> {
        if self.backend == Backend::Postgres {
            return self.ping().await;
        }
        let doing = "checking the database file";
        let rows = sqlx::query("PRAGMA integrity_check")
            .fetch_all(&self.pool)
            .await
            .map_err(sql(doing))?;
        let said: Vec<String> = rows
            .iter()
            .map(|r| r.try_get::<String, _>(0))
            .collect::<Result<_, _>>()
            .map_err(sql(doing))?;
        if said == ["ok"] {
            Ok(())
        } else {
            Err(DbError::Setup(format!(
                "the database file is damaged: {}",
                said.join("; ")
            )))
        }
    }

    /// How many certificates are stored.
    pub async fn count(&self) -> Result<u64, DbError> {
        let n: i64 = sqlx::query("SELECT COUNT(*) FROM certificates")
            .fetch_one(&self.pool)
            .await
            .and_then(|row| row.try_get(0))
            .map_err(sql("counting certificates"))?;
        Ok(u64::try_from(n).unwrap_or_default())
    }

    /// True if the lookup key is stored in the database itself (only when
    /// it was opened without a key file).
    pub async fn stores_lookup_key(&self) -> Result<bool, DbError> {
        let n: i64 = sqlx::query("SELECT COUNT(*) FROM settings WHERE name = $1")
            .bind(KEY_SETTING.to_string())
            .fetch_one(&self.pool)
            .await
            .and_then(|row| row.try_get(0))
            .map_err(sql("reading settings"))?;
        Ok(n > 0)
    }
}

fn unix_i64(t: UnixTime) -> i64 {
    i64::try_from(t.0).unwrap_or(i64::MAX)
}

/// The statement for `backend`. Our SQL numbers its parameters `$1, $2, ...`
/// in order of appearance; SQLite gets plain `?` instead, because it looks up
/// a numbered parameter's name by a linear scan, which makes binding a
/// 22,000-parameter batch quadratic (measured: 3,000 instead of 60,000+
/// rows a second).
fn positional(backend: Backend, sql: &str) -> String {
    if backend == Backend::Postgres {
        return sql.to_string();
    }
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' && chars.peek().is_some_and(char::is_ascii_digit) {
            while chars.peek().is_some_and(char::is_ascii_digit) {
                chars.next();
            }
            out.push('?');
        } else {
            out.push(c);
        }
    }
    out
}

fn upsert_sql(rows: usize) -> String {
    let mut s = String::with_capacity(200 + rows * 60);
    s.push_str("INSERT INTO certificates (");
    s.push_str(COLUMNS);
    s.push_str(") VALUES ");
    let mut n = 0;
    for row in 0..rows {
        if row > 0 {
            s.push(',');
        }
        s.push('(');
        for col in 0..12 {
            if col > 0 {
                s.push(',');
            }
            n += 1;
            s.push('$');
            s.push_str(&n.to_string());
        }
        s.push(')');
    }
    s.push_str(
        " ON CONFLICT (kid, cert_id) DO UPDATE SET \
         number_key = excluded.number_key, name_key = excluded.name_key, \
         name_masked = excluded.name_masked, number_masked = excluded.number_masked, \
         kind = excluded.kind, region = excluded.region, issuer = excluded.issuer, \
         fields = excluded.fields, \
         revoked = CASE WHEN certificates.revoked <> 0 OR excluded.revoked <> 0 THEN 1 ELSE 0 END, \
         updated_at = excluded.updated_at \
         WHERE certificates.number_key <> excluded.number_key \
         OR certificates.name_key <> excluded.name_key \
         OR certificates.name_masked <> excluded.name_masked \
         OR certificates.number_masked <> excluded.number_masked \
         OR certificates.kind <> excluded.kind \
         OR certificates.region <> excluded.region \
         OR certificates.issuer <> excluded.issuer \
         OR certificates.fields <> excluded.fields \
         OR (certificates.revoked = 0 AND excluded.revoked <> 0)",
    );
    s
}

fn record_from_row(row: &AnyRow) -> Result<CertificateRecord, DbError> {
    let bad = |what: &str| DbError::Setup(format!("a stored certificate has a bad {what}"));
    let get_i64 = |col: &str| -> Result<i64, DbError> {
        row.try_get::<i64, _>(col)
            .map_err(sql("reading a certificate"))
    };
    let get_text = |col: &str| -> Result<String, DbError> {
        row.try_get::<String, _>(col)
            .map_err(sql("reading a certificate"))
    };
    let kind = CertKind::parse(&get_text("kind")?).ok_or_else(|| bad("type"))?;
    let fields: yanzheng_core::Details<u16> =
        serde_json::from_str(&get_text("fields")?).map_err(|_| bad("fields JSON"))?;
    Ok(CertificateRecord {
        kid: kid_from_sql(&get_text("kid")?),
        cert_id: id_from_sql(get_i64("cert_id")?),
        number_key: get_text("number_key")?,
        name_key: get_text("name_key")?,
        name_masked: get_text("name_masked")?,
        number_masked: get_text("number_masked")?,
        kind,
        region: u32::try_from(get_i64("region")?).map_err(|_| bad("region"))?,
        issuer: get_text("issuer")?,
        fields,
        revoked: get_i64("revoked")? != 0,
        updated_at: UnixTime(u64::try_from(get_i64("updated_at")?).unwrap_or_default()),
    })
}

async fn migrate(conn: &mut AnyConnection, backend: Backend) -> Result<(), DbError> {
    let doing = "migrating the schema";
    sqlx::query(
        "CREATE TABLE IF NOT EXISTS yz_migrations (version BIGINT NOT NULL PRIMARY KEY, \
         name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
    )
    .execute(&mut *conn)
    .await
    .map_err(sql(doing))?;
    let begin = match backend {
        Backend::Sqlite => "BEGIN IMMEDIATE",
        Backend::Postgres => "BEGIN",
    };
    let mut tx = conn.begin_with(begin).await.map_err(sql(doing))?;
    if backend == Backend::Postgres {
        // Two processes starting at once on an empty database: one migrates,
        // the other waits and then finds the work done.
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(MIGRATION_LOCK)
            .execute(&mut *tx)
            .await
            .map_err(sql(doing))?;
    }
    let applied: Vec<i64> = sqlx::query("SELECT version FROM yz_migrations")
        .fetch_all(&mut *tx)
        .await
        .map_err(sql(doing))?
        .iter()
        .map(|r| r.try_get::<i64, _>(0))
        .collect::<Result<_, _>>()
        .map_err(sql(doing))?;
    let newest_known = MIGRATIONS.last().map_or(0, |m| m.version);
    if let Some(v) = applied.iter().find(|v| **v > newest_known) {
        return Err(DbError::Setup(format!(
            "the database has schema version {v}, newer than this program knows ({newest_known}): \
             use a newer yanzheng"
        )));
    }
    let now = unix_i64(now());
    for m in MIGRATIONS.iter().filter(|m| !applied.contains(&m.version)) {
        for statement in statements(m.sql) {
            sqlx::query(&statement)
                .execute(&mut *tx)
                .await
                .map_err(sql(doing))?;
        }
        sqlx::query("INSERT INTO yz_migrations (version, name, applied_at) VALUES ($1, $2, $3)")
            .bind(m.version)
            .bind(m.name)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(sql(doing))?;
        tracing::info!(version = m.version, name = m.name, "applied migration");
    }
    tx.commit().await.map_err(sql(doing))?;
    Ok(())
}

/// The current time (the registry reads the clock; core never does).
pub fn now() -> UnixTime {
    UnixTime(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
    )
}

async fn setting(conn: &mut AnyConnection, name: &str) -> Result<Option<String>, DbError> {
    let row = sqlx::query("SELECT value FROM settings WHERE name = $1")
        .bind(name.to_string())
        .fetch_optional(&mut *conn)
        .await
        .map_err(sql("reading settings"))?;
    row.map(|r| r.try_get::<String, _>(0))
        .transpose()
        .map_err(sql("reading settings"))
}

/// Stores a setting unless one is there already (another process may have
/// won the race); returns the stored value.
async fn setting_once(
    conn: &mut AnyConnection,
    name: &str,
    value: &str,
) -> Result<String, DbError> {
    sqlx::query("INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
        .bind(name.to_string())
        .bind(value.to_string())
        .execute(&mut *conn)
        .await
        .map_err(sql("writing settings"))?;
    setting(conn, name)
        .await?
        .ok_or_else(|| DbError::Setup(format!("setting `{name}` vanished")))
}

const KEY_SETTING: &str = "lookup_key";
const CHECK_SETTING: &str = "lookup_key_check";

/// The lookup key kept in `path`, outside the database: a database that
/// still holds its key (from before keys lived in files) has it moved out
/// into a new file; a new database gets a fresh key. Either way the key is
/// checked against the database's check value, and the key row is gone
/// from the database afterwards.
async fn key_from_file(
    conn: &mut AnyConnection,
    path: &std::path::Path,
) -> Result<LookupKey, DbError> {
    let key_error = |e: crate::error::Error| DbError::Setup(e.to_string());
    let key = match LookupKey::load(path).map_err(key_error)? {
        Some(k) => k,
        None => {
            let stored = setting(conn, KEY_SETTING).await?;
            let key = match stored {
                Some(hex) => LookupKey::from_hex(&hex)
                    .ok_or_else(|| DbError::Setup("the stored lookup key is damaged".into()))?,
                None if setting(conn, CHECK_SETTING).await?.is_some() => {
                    return Err(DbError::Setup(format!(
                        "this database was filled under a lookup key kept in a file, and {} does \
                         not exist: pass the --lookup-key-file it was created with",
                        path.display()
                    )))
                }
                None => LookupKey::generate().map_err(|e| {
                    DbError::Setup(format!("no random source for the lookup key: {e}"))
                })?,
            };
            match key.create_file(path) {
                Ok(()) => key,
                // Another process (an import and a server starting at once)
                // wrote it first: use theirs.
                Err(e) => LookupKey::load(path)
                    .map_err(key_error)?
                    .ok_or_else(|| DbError::Setup(e.to_string()))?,
            }
        }
    };
    let key = settle_lookup_key(conn, Backend::Sqlite, Some(key)).await?;
    sqlx::query("DELETE FROM settings WHERE name = $1")
        .bind(KEY_SETTING.to_string())
        .execute(&mut *conn)
        .await
        .map_err(sql("moving the lookup key out of the database"))?;
    Ok(key)
}

/// Decides the lookup key: the key file's (checked against the database) or
/// the one kept in the settings table (generated on first use).
async fn settle_lookup_key(
    conn: &mut AnyConnection,
    _backend: Backend,
    from_file: Option<LookupKey>,
) -> Result<LookupKey, DbError> {
    let stored_key = setting(conn, KEY_SETTING).await?;
    let stored_check = setting(conn, CHECK_SETTING).await?;
    let mismatch = || {
        DbError::Setup(
            "this database was filled under a different lookup key: \
             pass the --lookup-key-file it was created with"
                .into(),
        )
    };
    match (from_file, stored_key) {
        (Some(file_key), stored) => {
            if let Some(hex) = stored {
                if !keys_equal(&hex.to_ascii_lowercase(), &file_key.to_hex()) {
                    return Err(mismatch());
                }
            }
            let check = setting_once(conn, CHECK_SETTING, &file_key.check_value()).await?;
            if !keys_equal(&check, &file_key.check_value()) {
                return Err(mismatch());
            }
            Ok(file_key)
        }
        (None, Some(hex)) => {
            let key = LookupKey::from_hex(&hex)
                .ok_or_else(|| DbError::Setup("the stored lookup key is damaged".into()))?;
            if let Some(check) = stored_check {
                if !keys_equal(&check, &key.check_value()) {
                    return Err(DbError::Setup("the stored lookup key is damaged".into()));
                }
            }
            Ok(key)
        }
        (None, None) if stored_check.is_some() => Err(DbError::Setup(
            "this database keeps its lookup key in a file: pass --lookup-key-file".into(),
        )),
        (None, None) => {
            let fresh = LookupKey::generate()
                .map_err(|e| DbError::Setup(format!("no random source for the lookup key: {e}")))?;
            // A concurrent first start may have stored its own key first: use
            // whichever won.
            let hex = setting_once(conn, KEY_SETTING, &fresh.to_hex()).await?;
            let key = LookupKey::from_hex(&hex)
                .ok_or_else(|| DbError::Setup("the stored lookup key is damaged".into()))?;
            setting_once(conn, CHECK_SETTING, &key.check_value()).await?;
            Ok(key)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let url = |s| database_url(s).map(|(b, u)| (b.as_str(), u)).ok();
        assert_eq!(
            url("data/reg.db"),
            Some(("sqlite", "sqlite://data/reg.db?mode=rwc".into()))
        );
        assert_eq!(
            url("/tmp/a?b#c%.db"),
            Some(("sqlite", "sqlite:///tmp/a%3Fb%23c%25.db?mode=rwc".into()))
        );
        assert_eq!(
            url("sqlite:x.db"),
            Some(("sqlite", "sqlite:x.db?mode=rwc".into()))
        );
        assert_eq!(
            url("sqlite:x.db?mode=ro"),
            Some(("sqlite", "sqlite:x.db?mode=ro".into()))
        );
        assert_eq!(
            url("postgresql://u@127.0.0.1:5/db"),
            Some(("postgres", "postgresql://u@127.0.0.1:5/db".into()))
        );
        assert!(url("mysql://x").is_none());
        assert!(url(" ").is_none());
    }

    #[test]
    fn migration_statements_split() {
        let s = statements(MIGRATIONS[0].sql);
        assert_eq!(s.len(), 4);
        assert!(s.iter().all(|s| !s.contains("--")));
    }

    #[test]
    fn sqlite_gets_plain_placeholders() {
        assert_eq!(
            positional(Backend::Sqlite, "VALUES ($1,$2),($3,$10) -- '$'"),
            "VALUES (?,?),(?,?) -- '$'"
        );
        assert_eq!(positional(Backend::Postgres, "($1)"), "($1)");
    }

    #[test]
    fn upsert_placeholders_count_up() {
        let s = upsert_sql(2);
        assert!(s.contains("($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12),($13,"));
        assert!(s.contains("$24)"));
    }
}
