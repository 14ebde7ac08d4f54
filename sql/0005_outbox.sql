-- The outbox keeps only what its reader uses: which event of which task to relay to webhook
-- deliveries (the topic and payload were written by every change and read by nothing; a
-- delivery's body is built from the notification when it is sent).
ALTER TABLE outbox DROP COLUMN topic, DROP COLUMN payload;
