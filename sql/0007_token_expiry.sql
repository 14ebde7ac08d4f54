-- Bearer tokens may carry an expiry (`baton token issue LOGIN --expires 90d`); past it they are
-- refused like revoked ones.
ALTER TABLE tokens ADD COLUMN expires_at timestamptz;
