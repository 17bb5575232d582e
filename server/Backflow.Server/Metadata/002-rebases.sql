-- Re-bases: a new generation of a dataset's regions, each starting over from a snapshot. Written by `resync` (an
-- operator's request, one region per row) and `rebase` (a catalog schema change or a full reload, every region of
-- the dataset in one row). Kept for status and the dashboard; the audit table has the same events.
CREATE TABLE rebases (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    dataset             TEXT    NOT NULL,
    regions             TEXT    NOT NULL,   -- comma-separated region codes
    reason              TEXT    NOT NULL,   -- resync | breaking-schema | removed-columns | full-reload
    old_schema_version  INTEGER,            -- null when nothing was published before
    new_schema_version  INTEGER NOT NULL,
    generation          INTEGER NOT NULL,   -- the highest new generation among the regions
    rows                INTEGER NOT NULL,   -- live rows after the re-base, all regions
    change              TEXT,               -- the schema lines that changed ("-column:…; +column:…"), when any
    actor               TEXT    NOT NULL,
    at                  TEXT    NOT NULL
);
CREATE INDEX rebases_by_dataset ON rebases (dataset, id);
