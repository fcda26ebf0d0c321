CREATE TABLE `inbox` (
	`id` text PRIMARY KEY NOT NULL,
	`received_at` integer NOT NULL,
	`provider` text NOT NULL,
	`integration_id` text,
	`method` text NOT NULL,
	`url` text NOT NULL,
	`headers` text NOT NULL,
	`body_b64` text NOT NULL,
	`peer_ip_hash` text,
	`verdict` text NOT NULL,
	`status_code` integer NOT NULL,
	`reason` text NOT NULL,
	`conversion_id` text,
	`replay_of` text
);
--> statement-breakpoint
CREATE INDEX `inbox_received` ON `inbox` (`received_at`);--> statement-breakpoint
CREATE INDEX `inbox_provider_received` ON `inbox` (`provider`,`received_at`);--> statement-breakpoint
CREATE TABLE `integrations` (
	`id` text PRIMARY KEY NOT NULL,
	`brand_id` text NOT NULL,
	`program_id` text NOT NULL,
	`provider` text NOT NULL,
	`mode` text NOT NULL,
	`secret_sealed` text,
	`secret_hash` text,
	`basic_user` text,
	`basic_password_hash` text,
	`url_token_hash` text,
	`ip_allowlist` text,
	`trusted_proxies` text,
	`vendor_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `integrations_provider` ON `integrations` (`provider`);--> statement-breakpoint
CREATE INDEX `integrations_program` ON `integrations` (`program_id`);--> statement-breakpoint
CREATE TABLE `ledger_entries` (
	`id` text PRIMARY KEY NOT NULL,
	`referrer_id` text NOT NULL,
	`conversion_id` text NOT NULL,
	`kind` text NOT NULL,
	`amount_minor` integer NOT NULL,
	`currency` text NOT NULL,
	`is_test` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ledger_conversion_kind` ON `ledger_entries` (`conversion_id`,`kind`);--> statement-breakpoint
CREATE INDEX `ledger_referrer` ON `ledger_entries` (`referrer_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `referrers` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`email` text,
	`code` text NOT NULL,
	`reward_bps` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `referrers_code_unique` ON `referrers` (`code`);--> statement-breakpoint
CREATE TABLE `delivery_attempts` (
	`id` text PRIMARY KEY NOT NULL,
	`outbox_id` text NOT NULL,
	`at` integer NOT NULL,
	`url` text NOT NULL,
	`status_code` integer,
	`error` text,
	`duration_ms` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `delivery_attempts_outbox` ON `delivery_attempts` (`outbox_id`);--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`endpoint_id` text NOT NULL,
	`conversion_id` text NOT NULL,
	`event` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_error` text,
	`created_at` integer NOT NULL,
	`sent_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_once` ON `outbox` (`endpoint_id`,`conversion_id`,`event`);--> statement-breakpoint
CREATE INDEX `outbox_due` ON `outbox` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `publisher_postbacks` (
	`id` text PRIMARY KEY NOT NULL,
	`publisher_id` text NOT NULL,
	`url` text NOT NULL,
	`method` text NOT NULL,
	`events` text NOT NULL,
	`signing_secret_sealed` text,
	`status` text NOT NULL,
	`consecutive_failures` integer NOT NULL,
	`paused_reason` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `publisher_postbacks_publisher` ON `publisher_postbacks` (`publisher_id`);