-- The sample's schema; runs on every start (spring.sql.init.mode=always) and is idempotent.
-- Run as one statement, so it is one implicit transaction: the advisory lock keeps two
-- instances starting at once from racing each other.
SELECT pg_advisory_xact_lock(hashtext('gdbpool-sample-schema'));

CREATE TABLE IF NOT EXISTS sample_seat (
    id        integer PRIMARY KEY,
    label     text    NOT NULL UNIQUE,
    booked_by text
);

-- 5 rows (A-E) of 8 seats, only into an empty table
INSERT INTO sample_seat (id, label)
SELECT (r - 1) * 8 + n, chr(64 + r) || n
FROM generate_series(1, 5) AS r, generate_series(1, 8) AS n
WHERE NOT EXISTS (SELECT 1 FROM sample_seat);

-- Every committed change of a seat is notified on 'seat_changed' as JSON. A hold is only a row
-- lock, which no trigger sees: the app notifies holds itself (held: true / false).
CREATE OR REPLACE FUNCTION sample_seat_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('seat_changed',
        json_build_object('id', NEW.id, 'label', NEW.label, 'held', false, 'booked_by', NEW.booked_by)::text);
    RETURN NEW;
END
$$;

DROP TRIGGER IF EXISTS sample_seat_changed ON sample_seat;
CREATE TRIGGER sample_seat_changed
    AFTER INSERT OR UPDATE ON sample_seat
    FOR EACH ROW EXECUTE FUNCTION sample_seat_notify();
