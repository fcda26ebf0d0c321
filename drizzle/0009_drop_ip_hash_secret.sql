-- The IP-hash key no longer lives in the database (daily salts sealed with SECRETS_KEY replace it).
-- Hashes made with it simply become unlinkable to new ones.
DELETE FROM `settings` WHERE `key` = 'ip_hash_secret';
