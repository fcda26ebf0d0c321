CREATE TABLE `ip_hash_salts` (
	`day` text PRIMARY KEY NOT NULL,
	`salt_sealed` text NOT NULL,
	`created_at` integer NOT NULL
);
