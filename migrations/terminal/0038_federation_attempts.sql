-- The relay's bounded attempts (R9) and this machine's clock against the central's (issue 14 item 9):
-- push_attempts: the first outbox event of a batch the central answered but failed ({eventId, count, lastError});
--   ten answered failures of the same event in a row dead-letter it (network failures never count).
-- clock_skew_ms: this machine's wall clock minus the central's at the last contact (positive: ahead). Fiscal range
--   expiry is judged by the central's time (local now minus this), never by a wall clock set wrong.
ALTER TABLE federation_link ADD COLUMN push_attempts jsonb;
ALTER TABLE federation_link ADD COLUMN clock_skew_ms bigint;
