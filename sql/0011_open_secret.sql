-- A webhook's sealed secret opened with the key the server holds, or NULL when that key does not
-- open it (sealed with another key): that webhook's deliveries fail, naming why, and every other
-- webhook's go on. pgp_sym_decrypt itself raises an error, which failed the whole batch of claimed
-- deliveries, again and again.
CREATE FUNCTION baton_open_secret(sealed bytea, key text) RETURNS text LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN pgp_sym_decrypt(sealed, key);
EXCEPTION WHEN OTHERS THEN
    RETURN NULL;
END $$;
