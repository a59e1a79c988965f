-- somevahti archive, SQLite. Evidence tables are append-only (triggers below); the search
-- index (archive_text, archive_fts) is derived data that purges and moderation update.
CREATE TABLE IF NOT EXISTS archive_record (
  org TEXT NOT NULL, seq INTEGER NOT NULL, kind TEXT NOT NULL,
  recorded TEXT NOT NULL, occurred TEXT NOT NULL,
  account TEXT, actor TEXT, subject TEXT,
  content TEXT NOT NULL, raw TEXT, media TEXT NOT NULL,
  prev TEXT NOT NULL, hash TEXT NOT NULL,
  PRIMARY KEY (org, seq)
);
CREATE INDEX IF NOT EXISTS archive_record_kind ON archive_record (org, kind);
CREATE INDEX IF NOT EXISTS archive_record_subject ON archive_record (org, subject);

CREATE TABLE IF NOT EXISTS archive_content (
  org TEXT NOT NULL, seq INTEGER NOT NULL, payload TEXT NOT NULL, raw BLOB,
  PRIMARY KEY (org, seq)
);
CREATE TABLE IF NOT EXISTS archive_tombstone (
  org TEXT NOT NULL, seq INTEGER NOT NULL, purge_seq INTEGER NOT NULL, PRIMARY KEY (org, seq)
);
CREATE TABLE IF NOT EXISTS archive_media (
  org TEXT NOT NULL, seq INTEGER NOT NULL, position INTEGER NOT NULL, media TEXT NOT NULL,
  PRIMARY KEY (org, seq, position)
);
CREATE INDEX IF NOT EXISTS archive_media_hash ON archive_media (media);
CREATE TABLE IF NOT EXISTS archive_checkpoint (
  org TEXT NOT NULL, seq INTEGER NOT NULL, head TEXT NOT NULL, at TEXT NOT NULL,
  key_id TEXT NOT NULL, public_key TEXT NOT NULL, signature TEXT NOT NULL,
  prev INTEGER, records INTEGER,
  PRIMARY KEY (org, seq)
);

CREATE TABLE IF NOT EXISTS archive_state (
  org TEXT NOT NULL, subject TEXT NOT NULL, state TEXT NOT NULL, PRIMARY KEY (org, subject)
);
CREATE TABLE IF NOT EXISTS archive_text (
  id INTEGER PRIMARY KEY, org TEXT NOT NULL, seq INTEGER NOT NULL, lang TEXT NOT NULL,
  account TEXT, unit TEXT, kind TEXT NOT NULL, subject TEXT, parent TEXT, author TEXT,
  occurred TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS archive_text_seq ON archive_text (org, seq);
CREATE INDEX IF NOT EXISTS archive_text_occurred ON archive_text (org, occurred);
CREATE INDEX IF NOT EXISTS archive_text_subject ON archive_text (org, subject);
CREATE INDEX IF NOT EXISTS archive_text_parent ON archive_text (org, parent);
CREATE VIRTUAL TABLE IF NOT EXISTS archive_fts USING fts5 (
  body, stems, tokenize = 'unicode61 remove_diacritics 0'
);

-- TRIGGERS: created with the tables only. A trigger dropped later is reported by verify, never
-- silently recreated (that would hide the tampering window).
CREATE TRIGGER IF NOT EXISTS archive_record_chain BEFORE INSERT ON archive_record
WHEN NOT ((NEW.seq = 1 AND NEW.prev = '0000000000000000000000000000000000000000000000000000000000000000')
          OR NEW.prev IS (SELECT hash FROM archive_record WHERE org = NEW.org AND seq = NEW.seq - 1))
BEGIN SELECT RAISE(ABORT, 'archive: record does not continue the chain'); END;
CREATE TRIGGER IF NOT EXISTS archive_record_no_update BEFORE UPDATE ON archive_record
BEGIN SELECT RAISE(ABORT, 'archive: records are append-only'); END;
CREATE TRIGGER IF NOT EXISTS archive_record_no_delete BEFORE DELETE ON archive_record
BEGIN SELECT RAISE(ABORT, 'archive: records are append-only'); END;
CREATE TRIGGER IF NOT EXISTS archive_content_no_update BEFORE UPDATE ON archive_content
BEGIN SELECT RAISE(ABORT, 'archive: records are append-only'); END;
CREATE TRIGGER IF NOT EXISTS archive_content_purge_only BEFORE DELETE ON archive_content
WHEN NOT EXISTS (SELECT 1 FROM archive_tombstone WHERE org = OLD.org AND seq = OLD.seq)
BEGIN SELECT RAISE(ABORT, 'archive: content may only be deleted by a recorded purge'); END;
CREATE TRIGGER IF NOT EXISTS archive_tombstone_no_update BEFORE UPDATE ON archive_tombstone
BEGIN SELECT RAISE(ABORT, 'archive: records are append-only'); END;
CREATE TRIGGER IF NOT EXISTS archive_tombstone_no_delete BEFORE DELETE ON archive_tombstone
BEGIN SELECT RAISE(ABORT, 'archive: records are append-only'); END;
CREATE TRIGGER IF NOT EXISTS archive_media_no_update BEFORE UPDATE ON archive_media
BEGIN SELECT RAISE(ABORT, 'archive: records are append-only'); END;
CREATE TRIGGER IF NOT EXISTS archive_media_no_delete BEFORE DELETE ON archive_media
BEGIN SELECT RAISE(ABORT, 'archive: records are append-only'); END;
CREATE TRIGGER IF NOT EXISTS archive_checkpoint_no_update BEFORE UPDATE ON archive_checkpoint
BEGIN SELECT RAISE(ABORT, 'archive: records are append-only'); END;
CREATE TRIGGER IF NOT EXISTS archive_checkpoint_no_delete BEFORE DELETE ON archive_checkpoint
BEGIN SELECT RAISE(ABORT, 'archive: records are append-only'); END;
