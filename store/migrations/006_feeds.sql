-- Calendar feeds and the daemon's health.
--
-- An occurrence is an event in the agencies' calendars. revision counts
-- the changes of that event that calendar clients must notice (its date,
-- an extension, its retirement or restoring): the feed's SEQUENCE.
-- changed_at is when the last one happened (stamp format, UTC).
ALTER TABLE occurrence ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
ALTER TABLE occurrence ADD COLUMN changed_at TEXT NOT NULL DEFAULT '';

-- Rows written before: as of their year's last sync, one revision per
-- extension granted and one for a retirement.
UPDATE occurrence SET
    revision = (SELECT count(*) FROM extension e WHERE e.occurrence_id = occurrence.id)
               + (retired_at IS NOT NULL),
    changed_at = max(
        coalesce((SELECT y.synced_at FROM calendar_year y WHERE y.year = occurrence.year), ''),
        coalesce((SELECT max(e.recorded_at) FROM extension e WHERE e.occurrence_id = occurrence.id), ''),
        coalesce(retired_at, ''));

-- The last pass of the daemon (serve, or run --once), one row: what
-- /readyz and the metrics read, from any process.
CREATE TABLE pass_state (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    started_at  TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    as_of       TEXT NOT NULL,              -- the time the pass worked as of (run --now)
    ok          INTEGER NOT NULL,
    error       TEXT NOT NULL DEFAULT '',   -- why it failed
    outage      TEXT NOT NULL DEFAULT '',   -- why the mail server could not be used, if so
    last_ok_at  TEXT                        -- finished_at of the last pass that succeeded
);
