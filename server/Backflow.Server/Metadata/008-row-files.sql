-- Each live row's canonical encoding moves out of SQLite into an append-only file per dataset (rows/<dataset>.<generation>.rows,
-- see RowFileWriter). In key_rows every row went through the page cache, the WAL and the checkpoint: about 390 bytes
-- of metadata.db per row against 28 bytes per row in the extract, and the largest single cost of a first publish after
-- the key_index inserts (README, Benchmarks). key_index.data_id and region_rows.data_id become the row's byte offset in
-- the file. RowFileMigration (C#) copies key_rows into the files in the same transaction, then drops the table.
--
-- row_files: per dataset, the file generation in use and how many of its bytes are committed. Bytes beyond
-- committed_bytes belong to a publish that failed or crashed before its commit; the next write truncates them.
-- A full reload starts a new generation, so readers of the old one are never handed bytes that changed under them.
CREATE TABLE row_files (
    dataset          TEXT    NOT NULL PRIMARY KEY,
    generation       INTEGER NOT NULL,
    committed_bytes  INTEGER NOT NULL
) WITHOUT ROWID;
