-- Which rows live in which region, as a table the publish writes in sorted batches instead of an index SQLite keeps
-- row by row. A publish's keys arrive in key order, not region order, so every new key's entry in the old
-- key_index_by_region (dataset, region, data_id) landed at its region's end of the index: one page per region in
-- use at once. With more regions than the page cache holds, nearly every insert missed the cache. In sqlite3 alone,
-- 1,000,000 keys spread over 100 regions took 5.5 s to index (1.5 s in one region), over 3,000 regions 16-32 s.
-- KeyIndex now collects the (region, data_id) of new keys and inserts them sorted, a few hundred thousand at a time,
-- so each region's page is touched once per batch: 1.4-2.0 s in sqlite3 for the same 1,000,000 keys over 100 or 3,000
-- regions.
--
-- region_rows: for every key_index row (dataset, row_key, region, row_hash, data_id), exactly one row
-- (dataset, region, data_id). A snapshot reads a region's rows from it in data_id order.
CREATE TABLE region_rows (
    dataset          TEXT    NOT NULL,
    region           TEXT    NOT NULL,
    data_id          INTEGER NOT NULL,
    PRIMARY KEY (dataset, region, data_id)
) WITHOUT ROWID;

INSERT INTO region_rows (dataset, region, data_id)
SELECT dataset, region, data_id FROM key_index ORDER BY dataset, region, data_id;

DROP INDEX key_index_by_region;
