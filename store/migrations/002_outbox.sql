-- The outbox. A message is one composed email (a digest); a notification
-- is one occurrence's entry in it, under the key that is never sent twice.
-- Both are written in one transaction before anything is sent.

CREATE TABLE message (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('reminder', 'overdue', 'escalation')),
    agency_id       TEXT NOT NULL REFERENCES agency(id),
    to_addrs        TEXT NOT NULL,          -- comma-separated
    subject         TEXT NOT NULL,
    body_text       TEXT NOT NULL,
    body_html       TEXT NOT NULL,
    message_id      TEXT NOT NULL UNIQUE,   -- the Message-ID header, without <>
    status          TEXT NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,          -- pending: not before this time
    sending_until   TEXT,                   -- sending: the claim's deadline
    reply           TEXT NOT NULL DEFAULT '', -- the last SMTP reply or error
    created_at      TEXT NOT NULL,
    sent_at         TEXT,
    reported_at     TEXT                    -- failed: when the focal point was told
);

CREATE INDEX message_unsent ON message (status, next_attempt_at)
    WHERE status IN ('pending', 'sending');

CREATE TABLE notification (
    id            INTEGER PRIMARY KEY,
    occurrence_id INTEGER NOT NULL REFERENCES occurrence(id),
    kind          TEXT NOT NULL,
    step          INTEGER NOT NULL,         -- days before (reminder) or escalation level
    target        TEXT NOT NULL,            -- the date it counted towards
    recipient     TEXT NOT NULL REFERENCES agency(id),
    message_id    INTEGER NOT NULL REFERENCES message(id),
    days          INTEGER NOT NULL,         -- days left or overdue when queued
    created_at    TEXT NOT NULL,
    UNIQUE (occurrence_id, kind, step, target, recipient)
);

CREATE INDEX notification_message ON notification (message_id);

-- Every delivery attempt with the server's reply.
CREATE TABLE attempt (
    id         INTEGER PRIMARY KEY,
    message_id INTEGER NOT NULL REFERENCES message(id),
    at         TEXT NOT NULL,
    ok         INTEGER NOT NULL,
    temporary  INTEGER NOT NULL,
    reply      TEXT NOT NULL
);

CREATE INDEX attempt_message ON attempt (message_id);
