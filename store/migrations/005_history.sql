-- History that stays true. A sync leaves an occurrence whose date has
-- passed as it is; tracking starts on a recorded day; what a later sync adds
-- is tracked from that sync's day; an open item of an agency that ceased
-- moves to its successor; rewriting the past is logged.

-- The first day an occurrence is reminded, escalated and counted: an
-- occurrence whose date that counts is before it is not. Rows written
-- before this migration were tracked from the beginning.
ALTER TABLE occurrence ADD COLUMN tracked_from TEXT NOT NULL DEFAULT '0000-01-01';

-- Set when an open occurrence was handed to its agency's successor: the
-- occurrence that took it over. The moved row is retired.
ALTER TABLE occurrence ADD COLUMN moved_to INTEGER REFERENCES occurrence(id);

CREATE INDEX occurrence_moved_to ON occurrence (moved_to) WHERE moved_to IS NOT NULL;

-- A deadline's explicit id from the configuration, cleaned (NFC, single
-- spaces, lower case); NULL when it has none and is known by its period.
ALTER TABLE deadline ADD COLUMN ident TEXT;

-- Settings the database keeps: 'start', the first day tracked.
CREATE TABLE setting (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- A database that already holds a calendar has tracked it since it was
-- created.
INSERT INTO setting (name, value)
SELECT 'start', substr(applied_at, 1, 10) FROM migrations
 WHERE name LIKE '%001_calendar.sql' AND EXISTS (SELECT 1 FROM occurrence);

-- Every sync --rewrite-past, with its reason.
CREATE TABLE past_rewrite (
    id          INTEGER PRIMARY KEY,
    recorded_at TEXT NOT NULL,
    as_of       TEXT NOT NULL,              -- the sync's day
    reason      TEXT NOT NULL,
    changed     INTEGER NOT NULL,           -- past occurrences changed
    retired     INTEGER NOT NULL,           -- past occurrences retired
    added       INTEGER NOT NULL            -- past occurrences added
);
