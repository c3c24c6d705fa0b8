-- The agencies answer through the web front: where each submission came
-- from, and extension requests waiting for the focal point's decision.

-- Where a submission was recorded: 'cli' (hanchot submit, its CSV import)
-- or 'web' (an agency's signed link); for the web, the client's address
-- and browser as the request gave them.
ALTER TABLE submission ADD COLUMN source TEXT NOT NULL DEFAULT 'cli';
ALTER TABLE submission ADD COLUMN client_ip TEXT NOT NULL DEFAULT '';
ALTER TABLE submission ADD COLUMN user_agent TEXT NOT NULL DEFAULT '';

-- An agency's request for a later date. It waits as 'pending' until the
-- focal point approves it (the extension is then granted, in the
-- extension table) or refuses it (the agency is told at the next pass).
CREATE TABLE extension_request (
    id            INTEGER PRIMARY KEY,
    occurrence_id INTEGER NOT NULL REFERENCES occurrence(id),
    target        TEXT NOT NULL,            -- the date that counted when it was asked
    due           TEXT NOT NULL,            -- the date asked for
    reason        TEXT NOT NULL,
    by            TEXT NOT NULL DEFAULT '', -- who asked, as they wrote it
    requested_at  TEXT NOT NULL,
    client_ip     TEXT NOT NULL DEFAULT '',
    user_agent    TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL DEFAULT 'pending'
                  CHECK (status IN ('pending', 'approved', 'refused')),
    decided_at    TEXT,
    decided_by    TEXT NOT NULL DEFAULT '',
    answer        TEXT NOT NULL DEFAULT ''  -- the focal point's words to the agency
);

-- At most one request waits per occurrence.
CREATE UNIQUE INDEX extension_request_pending ON extension_request (occurrence_id) WHERE status = 'pending';
CREATE INDEX extension_request_occurrence ON extension_request (occurrence_id);
-- Refusals the agency has not been told of are found by the pass.
CREATE INDEX extension_request_refused ON extension_request (decided_at) WHERE status = 'refused';
