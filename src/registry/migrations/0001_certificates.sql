-- The registry's tables. Portable SQL: the same file runs on SQLite and
-- PostgreSQL (BIGINT and TEXT only). Statements end with a semicolon at the
-- end of a line, and comments hold none.

-- One row a certificate. No clear ID number or name: number_key and name_key
-- are HMAC-SHA256 under the lookup key (hex), the masked forms are core's.
-- fields is JSON: dates and the category/item or employer/role/industry codes.
CREATE TABLE certificates (
    cert_id BIGINT NOT NULL PRIMARY KEY,
    number_key TEXT NOT NULL,
    name_key TEXT NOT NULL,
    name_masked TEXT NOT NULL,
    number_masked TEXT NOT NULL,
    kind TEXT NOT NULL,
    region BIGINT NOT NULL,
    issuer TEXT NOT NULL,
    fields TEXT NOT NULL,
    revoked BIGINT NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL
);

CREATE INDEX certificates_number_key ON certificates (number_key);

-- Every certificate id ever revoked, known here or not: the source of the
-- signed revocation list.
CREATE TABLE revocations (
    cert_id BIGINT NOT NULL PRIMARY KEY,
    revoked_at BIGINT NOT NULL
);

-- Key-value settings: the lookup key (unless kept in a separate file) and
-- the value that checks it.
CREATE TABLE settings (
    name TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
);
