-- Which server process holds a key's claim while its request runs. That process knows when the
-- request has ended, so a repeat it receives after the end takes the claim over at once; a claim
-- held by another process is taken over only after longer than a statement may run, never while
-- its first attempt may still commit.
ALTER TABLE idempotency_keys ADD COLUMN holder text;
