-- The key index split in two, so that a publish whose keys come in any order stays fast (README, Benchmarks: a
-- million rows in random key order published two to four times slower than in key order; in sqlite3 alone their
-- inserts took six times as long). Before, every live row's canonical encoding sat inside the key-ordered index, so
-- each insert of a random key rewrote a random page of a tree holding every row (446 MB for a million rows), far
-- beyond any cache.
--
-- key_index: what a publish looks up, ordered by key: about 100 bytes a key instead of about 450 with the row inside.
-- key_rows:  each live row's canonical encoding (snapshots and re-bases are built from it), appended in id order.
-- key_index.data_id names the key's row in key_rows; every key_rows row belongs to exactly one key_index row.
-- key_index_by_region orders a region's keys by data_id: new rows append to it, and a snapshot reads key_rows in id order.
CREATE TABLE key_rows (
    id               INTEGER PRIMARY KEY,
    row_data         BLOB    NOT NULL
);

CREATE TABLE key_index_split (
    dataset          TEXT    NOT NULL,
    row_key          BLOB    NOT NULL,
    region           TEXT    NOT NULL,
    row_hash         BLOB    NOT NULL,
    data_id          INTEGER NOT NULL,
    PRIMARY KEY (dataset, row_key)
) WITHOUT ROWID;

INSERT INTO key_index_split (dataset, row_key, region, row_hash, data_id)
SELECT dataset, row_key, region, row_hash, row_number() OVER (ORDER BY dataset, region, row_key) FROM key_index;

INSERT INTO key_rows (id, row_data)
SELECT s.data_id, k.row_data FROM key_index_split AS s JOIN key_index AS k ON k.dataset = s.dataset AND k.row_key = s.row_key
ORDER BY s.data_id;

DROP TABLE key_index;
ALTER TABLE key_index_split RENAME TO key_index;
CREATE INDEX key_index_by_region ON key_index (dataset, region, data_id);
