-- Delivery per address. A message is one composed digest; a delivery is
-- that message to one of the agency's addresses, with its own state,
-- attempts and reply, so that one dead mailbox never holds back another.
-- A delivery is given up by usefulness, not by count: 'expired' once its
-- expires_at has passed (a reminder after its date; an overdue notice or
-- escalation after [mail] keep_trying_days).
--
-- The message table loses its delivery columns; it is rebuilt, as SQLite
-- asks for such changes, with foreign keys off for the migration (the
-- store turns them off around it and checks them before committing).

CREATE TABLE delivery (
    id              INTEGER PRIMARY KEY,
    message_id      INTEGER NOT NULL REFERENCES message(id),
    address         TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'expired')),
    attempts        INTEGER NOT NULL DEFAULT 0,  -- attempts the server answered or that were cut off
    next_attempt_at TEXT NOT NULL,               -- pending: not before this time
    sending_until   TEXT,                        -- sending: the claim's deadline
    expires_at      TEXT NOT NULL,               -- pending past this: expired
    reply           TEXT NOT NULL DEFAULT '',    -- the last SMTP reply or error
    sent_at         TEXT,
    reported_at     TEXT,                        -- failed or expired: when the focal point was told
    UNIQUE (message_id, address)
);

-- Each serves one question a pass asks, so none scans the ledger.
CREATE INDEX delivery_pending ON delivery (next_attempt_at) WHERE status = 'pending';
CREATE INDEX delivery_sending ON delivery (sending_until) WHERE status = 'sending';
CREATE INDEX delivery_expiry ON delivery (expires_at) WHERE status = 'pending';
CREATE INDEX delivery_unreported ON delivery (id) WHERE status IN ('failed', 'expired') AND reported_at IS NULL;
CREATE INDEX delivery_message ON delivery (message_id);

-- Existing messages become one delivery per address, keeping their state.
-- What was pending keeps trying for a week from now.
WITH RECURSIVE split(message_id, address, rest) AS (
    SELECT id, '', to_addrs || ',' FROM message
    UNION ALL
    SELECT message_id, trim(substr(rest, 1, instr(rest, ',') - 1)), substr(rest, instr(rest, ',') + 1)
      FROM split WHERE rest != ''
)
INSERT INTO delivery (message_id, address, status, attempts, next_attempt_at, sending_until, expires_at,
                      reply, sent_at, reported_at)
SELECT m.id, s.address, m.status, m.attempts, m.next_attempt_at, m.sending_until,
       strftime('%Y-%m-%dT%H:%M:%S.000000000Z', 'now', '+7 days'), m.reply, m.sent_at, m.reported_at
  FROM split s JOIN message m ON m.id = s.message_id
 WHERE s.address != '';

CREATE TABLE message_new (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('reminder', 'overdue', 'escalation', 'correction')),
    agency_id   TEXT NOT NULL REFERENCES agency(id),
    to_addrs    TEXT NOT NULL,          -- every address of the agency, comma-separated; each is a delivery
    to_name     TEXT NOT NULL DEFAULT '', -- the agency's name, for the To header
    subject     TEXT NOT NULL,
    body_text   TEXT NOT NULL,
    body_html   TEXT NOT NULL,
    message_id  TEXT NOT NULL UNIQUE,   -- the Message-ID header, without <>; derived from the digest's key
    created_at  TEXT NOT NULL
);
INSERT INTO message_new (id, kind, agency_id, to_addrs, subject, body_text, body_html, message_id, created_at)
SELECT id, kind, agency_id, to_addrs, subject, body_text, body_html, message_id, created_at FROM message;
DROP INDEX message_unsent;
DROP TABLE message;
ALTER TABLE message_new RENAME TO message;

-- Attempts now belong to a delivery. Old ones go to their message's first
-- address.
CREATE TABLE attempt_new (
    id          INTEGER PRIMARY KEY,
    delivery_id INTEGER NOT NULL REFERENCES delivery(id),
    at          TEXT NOT NULL,
    ok          INTEGER NOT NULL,
    temporary   INTEGER NOT NULL,
    reply       TEXT NOT NULL
);
INSERT INTO attempt_new (id, delivery_id, at, ok, temporary, reply)
SELECT a.id, (SELECT min(d.id) FROM delivery d WHERE d.message_id = a.message_id), a.at, a.ok, a.temporary, a.reply
  FROM attempt a
 WHERE EXISTS (SELECT 1 FROM delivery d WHERE d.message_id = a.message_id);
DROP INDEX attempt_message;
DROP TABLE attempt;
ALTER TABLE attempt_new RENAME TO attempt;
CREATE INDEX attempt_delivery ON attempt (delivery_id);

-- Requeued deliveries (hanchot retry): who, when and why.
CREATE TABLE requeue (
    id          INTEGER PRIMARY KEY,
    delivery_id INTEGER NOT NULL REFERENCES delivery(id),
    at          TEXT NOT NULL,
    by          TEXT NOT NULL,
    reason      TEXT NOT NULL,
    was         TEXT NOT NULL               -- the status it had: failed | expired
);
CREATE INDEX requeue_delivery ON requeue (delivery_id);


-- The reminders still ahead, for telling an agency that an item it was
-- reminded of has left the calendar.
CREATE INDEX notification_reminder_target ON notification (target) WHERE kind = 'reminder';
