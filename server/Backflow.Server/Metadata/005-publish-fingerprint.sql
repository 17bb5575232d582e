-- What a publish id was used for: SHA-256 of the changes file and the deletes file, so that the same id sent again
-- with other files is refused instead of silently answered "already published" (a job reusing a fixed id would
-- otherwise drop every later change). NULL for publishes recorded before this column existed.
ALTER TABLE publishes ADD COLUMN input_sha256 TEXT;
