-- Submissions and extensions. An undone submission stays, marked, so the
-- history shows the mistake and its correction.

CREATE TABLE submission (
    id            INTEGER PRIMARY KEY,
    occurrence_id INTEGER NOT NULL REFERENCES occurrence(id),
    submitted_at  TEXT NOT NULL,            -- RFC 3339 with the zone offset
    ref           TEXT NOT NULL DEFAULT '', -- document reference, e.g. 125/BC-SNV
    note          TEXT NOT NULL DEFAULT '',
    by            TEXT NOT NULL DEFAULT '',
    recorded_at   TEXT NOT NULL,
    undone_at     TEXT,
    undo_reason   TEXT NOT NULL DEFAULT ''
);

-- At most one standing submission per occurrence.
CREATE UNIQUE INDEX submission_standing ON submission (occurrence_id) WHERE undone_at IS NULL;

CREATE TABLE extension (
    id            INTEGER PRIMARY KEY,
    occurrence_id INTEGER NOT NULL REFERENCES occurrence(id),
    previous_due  TEXT NOT NULL,
    due           TEXT NOT NULL,
    reason        TEXT NOT NULL,
    by            TEXT NOT NULL DEFAULT '',
    recorded_at   TEXT NOT NULL
);

CREATE INDEX extension_occurrence ON extension (occurrence_id);

-- The overdue log: when each occurrence went overdue, kept across
-- extensions and re-syncs. Escalation levels are in notification.
CREATE TABLE overdue (
    occurrence_id INTEGER PRIMARY KEY REFERENCES occurrence(id),
    target        TEXT NOT NULL,            -- the date that counted when it went overdue
    since         TEXT NOT NULL,            -- the first day overdue
    recorded_at   TEXT NOT NULL
);
