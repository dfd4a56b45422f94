-- Blocks writes to users for the whole build; plan/up build it CONCURRENTLY instead.
CREATE UNIQUE INDEX users_email_key ON users (email);
