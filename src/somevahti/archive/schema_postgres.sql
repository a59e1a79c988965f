-- somevahti archive, PostgreSQL. Evidence tables are append-only (triggers below); the search
-- index (archive_text) is derived data that purges and moderation update.
CREATE TABLE IF NOT EXISTS archive_record (
  org TEXT NOT NULL, seq BIGINT NOT NULL, kind TEXT NOT NULL,
  recorded TEXT NOT NULL, occurred TEXT NOT NULL,
  account TEXT, actor TEXT, subject TEXT,
  content TEXT NOT NULL, raw TEXT, media TEXT NOT NULL,
  prev TEXT NOT NULL, hash TEXT NOT NULL,
  PRIMARY KEY (org, seq)
);
CREATE INDEX IF NOT EXISTS archive_record_kind ON archive_record (org, kind);
CREATE INDEX IF NOT EXISTS archive_record_subject ON archive_record (org, subject);

CREATE TABLE IF NOT EXISTS archive_content (
  org TEXT NOT NULL, seq BIGINT NOT NULL, payload TEXT NOT NULL, raw BYTEA,
  PRIMARY KEY (org, seq)
);
CREATE TABLE IF NOT EXISTS archive_tombstone (
  org TEXT NOT NULL, seq BIGINT NOT NULL, purge_seq BIGINT NOT NULL, PRIMARY KEY (org, seq)
);
CREATE TABLE IF NOT EXISTS archive_media (
  org TEXT NOT NULL, seq BIGINT NOT NULL, position INTEGER NOT NULL, media TEXT NOT NULL,
  PRIMARY KEY (org, seq, position)
);
CREATE INDEX IF NOT EXISTS archive_media_hash ON archive_media (media);
CREATE TABLE IF NOT EXISTS archive_checkpoint (
  org TEXT NOT NULL, seq BIGINT NOT NULL, head TEXT NOT NULL, at TEXT NOT NULL,
  key_id TEXT NOT NULL, public_key TEXT NOT NULL, signature TEXT NOT NULL,
  prev BIGINT, records BIGINT,
  PRIMARY KEY (org, seq)
);

ALTER TABLE archive_checkpoint ADD COLUMN IF NOT EXISTS prev BIGINT;
ALTER TABLE archive_checkpoint ADD COLUMN IF NOT EXISTS records BIGINT;

CREATE TABLE IF NOT EXISTS archive_state (
  org TEXT NOT NULL, subject TEXT NOT NULL, state TEXT NOT NULL, PRIMARY KEY (org, subject)
);
CREATE TABLE IF NOT EXISTS archive_text (
  id BIGSERIAL PRIMARY KEY, org TEXT NOT NULL, seq BIGINT NOT NULL, lang TEXT NOT NULL,
  account TEXT, unit TEXT, kind TEXT NOT NULL, subject TEXT, parent TEXT, author TEXT,
  occurred TEXT NOT NULL, body TEXT NOT NULL, stems TEXT NOT NULL,
  tsv TSVECTOR GENERATED ALWAYS AS (
    to_tsvector(CASE lang WHEN 'fi' THEN 'finnish'::regconfig WHEN 'sv' THEN 'swedish'::regconfig
                          ELSE 'simple'::regconfig END, body)
    || to_tsvector('simple'::regconfig, stems)) STORED
);
CREATE INDEX IF NOT EXISTS archive_text_seq ON archive_text (org, seq);
CREATE INDEX IF NOT EXISTS archive_text_occurred ON archive_text (org, occurred);
CREATE INDEX IF NOT EXISTS archive_text_subject ON archive_text (org, subject);
CREATE INDEX IF NOT EXISTS archive_text_parent ON archive_text (org, parent);
CREATE INDEX IF NOT EXISTS archive_text_tsv ON archive_text USING GIN (tsv);

CREATE OR REPLACE FUNCTION archive_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'archive: records are append-only'; END $$;

-- The lookups below are planned on every call (EXECUTE): a plan cached while the table was
-- small would scan the whole table for every insert until autovacuum invalidated it, and a
-- function-level "SET enable_seqscan" made each call ten times slower than the lookup itself.
CREATE OR REPLACE FUNCTION archive_check_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE before TEXT;
BEGIN
  IF NEW.seq = 1 AND NEW.prev = repeat('0', 64) THEN
    RETURN NEW;
  END IF;
  EXECUTE 'SELECT hash FROM archive_record WHERE org = $1 AND seq = $2' INTO before USING NEW.org, NEW.seq - 1;
  IF before IS DISTINCT FROM NEW.prev THEN
    RAISE EXCEPTION 'archive: record does not continue the chain';
  END IF;
  RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION archive_purge_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE found BOOLEAN;
BEGIN
  EXECUTE 'SELECT EXISTS (SELECT 1 FROM archive_tombstone WHERE org = $1 AND seq = $2)' INTO found
    USING OLD.org, OLD.seq;
  IF NOT found THEN
    RAISE EXCEPTION 'archive: content may only be deleted by a recorded purge';
  END IF;
  RETURN OLD;
END $$;

-- TRIGGERS: created with the tables only. A trigger dropped later is reported by verify, never
-- silently recreated (that would hide the tampering window).
DO $$
DECLARE t TEXT;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'archive_record_chain'
                 AND tgrelid = 'archive_record'::regclass) THEN
    CREATE TRIGGER archive_record_chain BEFORE INSERT ON archive_record
      FOR EACH ROW EXECUTE FUNCTION archive_check_chain();
    CREATE TRIGGER archive_content_no_update BEFORE UPDATE ON archive_content
      FOR EACH ROW EXECUTE FUNCTION archive_append_only();
    CREATE TRIGGER archive_content_purge_only BEFORE DELETE ON archive_content
      FOR EACH ROW EXECUTE FUNCTION archive_purge_only();
    CREATE TRIGGER archive_content_no_truncate BEFORE TRUNCATE ON archive_content
      FOR EACH STATEMENT EXECUTE FUNCTION archive_append_only();
    FOREACH t IN ARRAY ARRAY['archive_record', 'archive_tombstone', 'archive_media', 'archive_checkpoint'] LOOP
      EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON %I FOR EACH ROW '
                     'EXECUTE FUNCTION archive_append_only()', t || '_append_only', t);
      EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I FOR EACH STATEMENT '
                     'EXECUTE FUNCTION archive_append_only()', t || '_no_truncate', t);
    END LOOP;
  END IF;
END $$;
