CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `admin_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`token_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`last_used_at` integer,
	`revoked_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `admin_tokens_token_hash_unique` ON `admin_tokens` (`token_hash`);--> statement-breakpoint
CREATE TABLE `brand_api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`brand_id` text NOT NULL,
	`mode` text NOT NULL,
	`key_hash` text NOT NULL,
	`prefix` text NOT NULL,
	`created_at` integer NOT NULL,
	`last_used_at` integer,
	`revoked_at` integer,
	FOREIGN KEY (`brand_id`) REFERENCES `brands`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `brand_api_keys_key_hash_unique` ON `brand_api_keys` (`key_hash`);--> statement-breakpoint
CREATE INDEX `brand_api_keys_brand` ON `brand_api_keys` (`brand_id`);--> statement-breakpoint
CREATE TABLE `brands` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `programs` (
	`id` text PRIMARY KEY NOT NULL,
	`brand_id` text NOT NULL,
	`name` text NOT NULL,
	`dest_url` text NOT NULL,
	`status` text NOT NULL,
	`commission_type` text NOT NULL,
	`commission_value` integer NOT NULL,
	`currency` text NOT NULL,
	`cookie_window_days` integer NOT NULL,
	`network_fee_bps` integer NOT NULL,
	`auto_approve_days` integer,
	`pass_through_params` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`brand_id`) REFERENCES `brands`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `programs_brand` ON `programs` (`brand_id`);--> statement-breakpoint
CREATE TABLE `publishers` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`email` text NOT NULL,
	`status` text NOT NULL,
	`payout_method` text,
	`payout_details` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `approvals` (
	`id` text PRIMARY KEY NOT NULL,
	`program_id` text NOT NULL,
	`publisher_id` text NOT NULL,
	`status` text NOT NULL,
	`slug` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`publisher_id`) REFERENCES `publishers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `approvals_slug_unique` ON `approvals` (`slug`);--> statement-breakpoint
CREATE UNIQUE INDEX `approvals_program_publisher` ON `approvals` (`program_id`,`publisher_id`);--> statement-breakpoint
CREATE INDEX `approvals_publisher` ON `approvals` (`publisher_id`);--> statement-breakpoint
CREATE TABLE `vendor_links` (
	`id` text PRIMARY KEY NOT NULL,
	`key` text NOT NULL,
	`approval_id` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`approval_id`) REFERENCES `approvals`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `vendor_links_key_unique` ON `vendor_links` (`key`);--> statement-breakpoint
CREATE TABLE `clicks` (
	`id` text PRIMARY KEY NOT NULL,
	`approval_id` text NOT NULL,
	`program_id` text NOT NULL,
	`publisher_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`ip_hash` text,
	`user_agent` text,
	`country` text,
	`referrer` text,
	`utm_source` text,
	`utm_medium` text,
	`utm_campaign` text,
	`utm_term` text,
	`utm_content` text,
	`sub1` text,
	`sub2` text,
	`sub3` text,
	`sub4` text,
	`sub5` text,
	`ref_code` text,
	`is_bot` integer NOT NULL,
	`bot_reason` text,
	`via` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `conversions` (
	`id` text PRIMARY KEY NOT NULL,
	`program_id` text NOT NULL,
	`brand_id` text NOT NULL,
	`brand_order_ref` text NOT NULL,
	`order_value_minor` integer NOT NULL,
	`order_currency` text NOT NULL,
	`program_value_minor` integer NOT NULL,
	`currency` text NOT NULL,
	`fx_rate` text,
	`sent_click_ref` text,
	`click_id` text,
	`publisher_id` text,
	`attribution_reason` text NOT NULL,
	`commission_minor` integer NOT NULL,
	`network_fee_minor` integer NOT NULL,
	`publisher_payout_minor` integer NOT NULL,
	`platform_commission_minor` integer,
	`status` text NOT NULL,
	`source` text NOT NULL,
	`is_test` integer NOT NULL,
	`reversal_reason` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`approved_at` integer,
	`reversed_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `conversions_program_order` ON `conversions` (`program_id`,`brand_order_ref`,`is_test`);--> statement-breakpoint
CREATE INDEX `conversions_status_created` ON `conversions` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `conversions_brand_created` ON `conversions` (`brand_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `conversions_publisher_created` ON `conversions` (`publisher_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `fx_rates` (
	`base` text NOT NULL,
	`quote` text NOT NULL,
	`rate` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `fx_rates_pair` ON `fx_rates` (`base`,`quote`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` text PRIMARY KEY NOT NULL,
	`at` integer NOT NULL,
	`actor_type` text NOT NULL,
	`actor_id` text,
	`action` text NOT NULL,
	`entity_type` text NOT NULL,
	`entity_id` text NOT NULL,
	`from_status` text,
	`to_status` text,
	`reason` text,
	`data` text
);
--> statement-breakpoint
CREATE INDEX `audit_entity` ON `audit_log` (`entity_type`,`entity_id`);