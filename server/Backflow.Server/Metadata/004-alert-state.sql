-- The alert board's memory, so that a restart neither sends active alerts again nor forgets a "resolved" still owed
-- to the webhook. One row per alert: active (delivered or not), or cleared with its resolution not yet delivered.
CREATE TABLE alert_state (
    alert_key   TEXT    NOT NULL PRIMARY KEY,
    alert_json  TEXT    NOT NULL,
    delivered   INTEGER NOT NULL CHECK (delivered IN (0, 1)),
    cleared     INTEGER NOT NULL CHECK (cleared IN (0, 1))
) WITHOUT ROWID;
