-- The calendar as last synced from the configuration. Rows are never
-- deleted: what leaves the configuration is retired (retired_at set), so
-- submissions and notifications that point at it keep their history.

CREATE TABLE agency (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    emails     TEXT NOT NULL,          -- comma-separated
    retired_at TEXT
);

CREATE TABLE agency_group (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    members    TEXT NOT NULL,          -- comma-separated ids
    retired_at TEXT
);

CREATE TABLE report (
    code       TEXT PRIMARY KEY,
    title      TEXT NOT NULL,
    lead       TEXT NOT NULL,
    support    TEXT NOT NULL,
    points     REAL NOT NULL DEFAULT 0,
    evidence   TEXT NOT NULL DEFAULT '',
    retired_at TEXT
);

CREATE TABLE deadline (
    id          INTEGER PRIMARY KEY,
    report_code TEXT NOT NULL REFERENCES report(code),
    period      TEXT NOT NULL,
    rule        TEXT NOT NULL,
    keep        INTEGER NOT NULL DEFAULT 0,
    retired_at  TEXT,
    UNIQUE (report_code, period)
);

-- One row per (deadline, reporting year, agency, role). due is the date the
-- rule gives; effective_due the date that counts; extended_due a granted
-- extension. The date a pass works from is coalesce(extended_due, effective_due).
CREATE TABLE occurrence (
    id            INTEGER PRIMARY KEY,
    deadline_id   INTEGER NOT NULL REFERENCES deadline(id),
    year          INTEGER NOT NULL,
    agency_id     TEXT NOT NULL REFERENCES agency(id),
    role          TEXT NOT NULL CHECK (role IN ('lead', 'support')),
    due           TEXT NOT NULL,
    effective_due TEXT NOT NULL,
    extended_due  TEXT,
    retired_at    TEXT,
    UNIQUE (deadline_id, year, agency_id, role)
);

CREATE INDEX occurrence_target ON occurrence (coalesce(extended_due, effective_due))
    WHERE retired_at IS NULL;
CREATE INDEX occurrence_year ON occurrence (year);

-- The reporting years whose occurrences have been written.
CREATE TABLE calendar_year (
    year      INTEGER PRIMARY KEY,
    synced_at TEXT NOT NULL
);
