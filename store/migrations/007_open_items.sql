-- The overdue log follows what is open. Each occurrence carries the day
-- (in the configured zone, as written in the submission) of its standing
-- submission, kept by triggers, so that open, late and recently submitted
-- items are each found through a small index rather than by reading every
-- occurrence ever tracked.

ALTER TABLE occurrence ADD COLUMN submitted_on TEXT;

UPDATE occurrence SET submitted_on =
    (SELECT substr(s.submitted_at, 1, 10) FROM submission s WHERE s.occurrence_id = occurrence.id AND s.undone_at IS NULL);

CREATE TRIGGER submission_recorded AFTER INSERT ON submission WHEN NEW.undone_at IS NULL
BEGIN
    UPDATE occurrence SET submitted_on = substr(NEW.submitted_at, 1, 10) WHERE id = NEW.occurrence_id;
END;

CREATE TRIGGER submission_undone AFTER UPDATE OF undone_at ON submission
WHEN OLD.undone_at IS NULL AND NEW.undone_at IS NOT NULL
BEGIN
    UPDATE occurrence SET submitted_on = NULL WHERE id = NEW.occurrence_id;
END;

-- Open: not submitted.
CREATE INDEX occurrence_open ON occurrence (coalesce(extended_due, effective_due))
    WHERE retired_at IS NULL AND submitted_on IS NULL;
-- Submitted, by day: what was still open on an earlier day.
CREATE INDEX occurrence_submitted_on ON occurrence (submitted_on) WHERE submitted_on IS NOT NULL;
-- Submitted after the date that counted.
CREATE INDEX occurrence_late ON occurrence (coalesce(extended_due, effective_due))
    WHERE submitted_on > coalesce(extended_due, effective_due);
