-- Certificate ids are unique per issuer key, not nationally: certificates
-- and revocations are keyed by (kid, cert_id). kid is the signing key's id
-- in lowercase hex ('' for rows imported before this migration: import them
-- again to give them their key). cert_id holds the full unsigned 64-bit id,
-- stored as the BIGINT with the same bits.

CREATE TABLE certificates_by_key (
    kid TEXT NOT NULL,
    cert_id BIGINT NOT NULL,
    number_key TEXT NOT NULL,
    name_key TEXT NOT NULL,
    name_masked TEXT NOT NULL,
    number_masked TEXT NOT NULL,
    kind TEXT NOT NULL,
    region BIGINT NOT NULL,
    issuer TEXT NOT NULL,
    fields TEXT NOT NULL,
    revoked BIGINT NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (kid, cert_id)
);

INSERT INTO certificates_by_key (kid, cert_id, number_key, name_key, name_masked,
    number_masked, kind, region, issuer, fields, revoked, updated_at)
    SELECT '', cert_id, number_key, name_key, name_masked, number_masked, kind,
    region, issuer, fields, revoked, updated_at FROM certificates;

DROP TABLE certificates;

ALTER TABLE certificates_by_key RENAME TO certificates;

CREATE INDEX certificates_number_key ON certificates (number_key);

-- Every (kid, cert_id) ever revoked, known here or not: the source of the
-- signed revocation set and its deltas.
CREATE TABLE revoked (
    kid TEXT NOT NULL,
    cert_id BIGINT NOT NULL,
    revoked_at BIGINT NOT NULL,
    PRIMARY KEY (kid, cert_id)
);

INSERT INTO revoked (kid, cert_id, revoked_at)
    SELECT '', cert_id, revoked_at FROM revocations;

DROP TABLE revocations;
