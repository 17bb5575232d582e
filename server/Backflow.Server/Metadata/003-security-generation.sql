-- A counter that every change to who may call the server bumps, whoever makes it (the running server, a
-- backflow-server CLI in another process, or a hand edit): the server caches resolved bearer tokens and reads only this
-- one row per request to know whether its cache is still true. Touching last_seen_at does not count as a change.
-- Numbered 003 so that it sorts after 002 of the schema-rebuild work that is being written in parallel, and written
-- to be harmless if it runs twice (a database migrated before 002 landed would run it again as the third script).
CREATE TABLE IF NOT EXISTS security_generation (
    id               INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    generation       INTEGER NOT NULL
);
INSERT OR IGNORE INTO security_generation (id, generation) VALUES (1, 0);

CREATE TRIGGER IF NOT EXISTS agents_inserted_security AFTER INSERT ON agents
BEGIN UPDATE security_generation SET generation = generation + 1; END;
CREATE TRIGGER IF NOT EXISTS agents_deleted_security AFTER DELETE ON agents
BEGIN UPDATE security_generation SET generation = generation + 1; END;
CREATE TRIGGER IF NOT EXISTS agents_updated_security AFTER UPDATE OF agent_id, name, regions, token_hash, revoked_at ON agents
BEGIN UPDATE security_generation SET generation = generation + 1; END;

CREATE TRIGGER IF NOT EXISTS grants_inserted_security AFTER INSERT ON grants
BEGIN UPDATE security_generation SET generation = generation + 1; END;
CREATE TRIGGER IF NOT EXISTS grants_deleted_security AFTER DELETE ON grants
BEGIN UPDATE security_generation SET generation = generation + 1; END;
CREATE TRIGGER IF NOT EXISTS grants_updated_security AFTER UPDATE ON grants
BEGIN UPDATE security_generation SET generation = generation + 1; END;

CREATE TRIGGER IF NOT EXISTS tokens_inserted_security AFTER INSERT ON tokens
BEGIN UPDATE security_generation SET generation = generation + 1; END;
CREATE TRIGGER IF NOT EXISTS tokens_deleted_security AFTER DELETE ON tokens
BEGIN UPDATE security_generation SET generation = generation + 1; END;
CREATE TRIGGER IF NOT EXISTS tokens_updated_security AFTER UPDATE ON tokens
BEGIN UPDATE security_generation SET generation = generation + 1; END;
