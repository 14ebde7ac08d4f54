-- Webhook secrets sealed at rest: encrypted with a key that lives outside the database
-- (BATON_SECRET_KEY or its file), passed with each statement that needs it and never stored.
-- Secrets written before this migration stay in `secret` until a process with the key seals them.
ALTER TABLE webhooks ADD COLUMN secret_sealed bytea;
ALTER TABLE webhooks ALTER COLUMN secret DROP NOT NULL;
ALTER TABLE webhooks ADD CONSTRAINT webhooks_secret_kept CHECK (secret IS NOT NULL OR secret_sealed IS NOT NULL);
