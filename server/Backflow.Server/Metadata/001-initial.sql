-- Server metadata, embedded default (SQLite). Times are ISO 8601 UTC text with microseconds.

-- One row per (dataset, region) that has ever been published to.
CREATE TABLE feeds (
    dataset          TEXT    NOT NULL,
    region           TEXT    NOT NULL,
    generation       INTEGER NOT NULL,
    latest_sequence  INTEGER NOT NULL,
    oldest_sequence  INTEGER NOT NULL,
    schema_version   INTEGER NOT NULL,
    row_count        INTEGER NOT NULL,
    checksum         TEXT    NOT NULL,   -- 16 hex digits, the uint64 region checksum sum
    updated_at       TEXT    NOT NULL,
    PRIMARY KEY (dataset, region)
) WITHOUT ROWID;

-- Every committed extract; the envelope is what agents verify. Never updated; deleted only by retention.
CREATE TABLE manifests (
    dataset          TEXT    NOT NULL,
    region           TEXT    NOT NULL,
    sequence         INTEGER NOT NULL,
    kind             TEXT    NOT NULL,
    generation       INTEGER NOT NULL,
    file_name        TEXT    NOT NULL,
    file_bytes       INTEGER NOT NULL,
    file_sha256      TEXT    NOT NULL,
    upserts          INTEGER NOT NULL,
    deletes          INTEGER NOT NULL,
    publish_id       TEXT    NOT NULL,
    published_at     TEXT    NOT NULL,
    envelope         BLOB    NOT NULL,
    PRIMARY KEY (dataset, region, sequence)
) WITHOUT ROWID;

CREATE TABLE schema_versions (
    dataset          TEXT    NOT NULL,
    version          INTEGER NOT NULL,
    schema_hash      TEXT    NOT NULL,
    schema_text      TEXT    NOT NULL,
    registered_at    TEXT    NOT NULL,
    PRIMARY KEY (dataset, version)
) WITHOUT ROWID;

-- The key index: where every live key lives, the hash of its current row (to skip unchanged rows),
-- and the row itself in canonical encoding (so snapshots can be built without replaying history).
CREATE TABLE key_index (
    dataset          TEXT    NOT NULL,
    row_key          BLOB    NOT NULL,
    region           TEXT    NOT NULL,
    row_hash         BLOB    NOT NULL,
    row_data         BLOB    NOT NULL,
    PRIMARY KEY (dataset, row_key)
) WITHOUT ROWID;
CREATE INDEX key_index_by_region ON key_index (dataset, region);

-- Idempotency: the first result of each publish id is kept and returned again.
CREATE TABLE publishes (
    publish_id       TEXT    NOT NULL PRIMARY KEY,
    dataset          TEXT    NOT NULL,
    actor            TEXT    NOT NULL,
    published_at     TEXT    NOT NULL,
    result_json      TEXT    NOT NULL
) WITHOUT ROWID;

CREATE TABLE agents (
    agent_id               TEXT    NOT NULL PRIMARY KEY,
    name                   TEXT    NOT NULL,
    regions                TEXT    NOT NULL,   -- comma-separated scope codes
    created_at             TEXT    NOT NULL,
    enrollment_code_hash   TEXT,               -- SHA-256 hex; cleared once used
    enrollment_expires_at  TEXT,
    enrolled_at            TEXT,
    token_hash             TEXT    UNIQUE,     -- SHA-256 hex of the bearer token; the token itself is never stored
    revoked_at             TEXT,
    last_seen_at           TEXT
) WITHOUT ROWID;

CREATE TABLE grants (
    agent_id         TEXT    NOT NULL REFERENCES agents (agent_id),
    dataset          TEXT    NOT NULL,
    approved_by      TEXT,
    granted_at       TEXT    NOT NULL,
    PRIMARY KEY (agent_id, dataset)
) WITHOUT ROWID;

CREATE TABLE tokens (
    token_id         TEXT    NOT NULL PRIMARY KEY,
    role             TEXT    NOT NULL,   -- publisher | operator
    datasets         TEXT,               -- comma-separated; NULL means every dataset
    token_hash       TEXT    NOT NULL UNIQUE,
    created_at       TEXT    NOT NULL,
    revoked_at       TEXT
) WITHOUT ROWID;

-- Append-only: nothing in the product updates or deletes these rows (triggers enforce it).
CREATE TABLE audit (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    at               TEXT    NOT NULL,
    kind             TEXT    NOT NULL,
    actor            TEXT    NOT NULL,
    agent_id         TEXT,
    dataset          TEXT,
    region           TEXT,
    sequence         INTEGER,
    bytes            INTEGER,
    detail           TEXT
);
CREATE INDEX audit_by_time ON audit (at);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;

CREATE TABLE runs (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    agent_id         TEXT    NOT NULL,
    dataset          TEXT    NOT NULL,
    region           TEXT    NOT NULL,
    from_sequence    INTEGER NOT NULL,
    to_sequence      INTEGER NOT NULL,
    rows             INTEGER NOT NULL,
    duration_ms      INTEGER NOT NULL,
    outcome          TEXT    NOT NULL,
    error            TEXT,
    started_at       TEXT,
    reported_at      TEXT    NOT NULL
);
CREATE INDEX runs_by_agent ON runs (agent_id, dataset, region, id);
