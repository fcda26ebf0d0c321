CREATE TABLE `click_rollups` (
	`dim` text NOT NULL,
	`key1` text NOT NULL,
	`grain` integer NOT NULL,
	`bucket` integer NOT NULL,
	`key2` text NOT NULL,
	`clicks` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `click_rollups_key` ON `click_rollups` (`dim`,`key1`,`grain`,`bucket`,`key2`);--> statement-breakpoint
CREATE INDEX `click_rollups_read` ON `click_rollups` (`dim`,`key1`,`grain`,`bucket`,`key2`,`clicks`);--> statement-breakpoint
CREATE TABLE `conversion_rollups` (
	`dim` text NOT NULL,
	`key1` text NOT NULL,
	`grain` integer NOT NULL,
	`bucket` integer NOT NULL,
	`key2` text NOT NULL,
	`currency` text NOT NULL,
	`status` text NOT NULL,
	`conversions` integer NOT NULL,
	`sales_minor` integer NOT NULL,
	`commission_minor` integer NOT NULL,
	`fee_minor` integer NOT NULL,
	`payout_minor` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `conversion_rollups_key` ON `conversion_rollups` (`dim`,`key1`,`grain`,`bucket`,`key2`,`currency`,`status`);--> statement-breakpoint
CREATE INDEX `conversion_rollups_read` ON `conversion_rollups` (`dim`,`key1`,`grain`,`bucket`,`key2`,`currency`,`status`,`conversions`,`sales_minor`,`commission_minor`,`fee_minor`,`payout_minor`);--> statement-breakpoint
CREATE INDEX `conversions_publisher_payout` ON `conversions` (`publisher_id`,`publisher_payout_minor`,`id`);--> statement-breakpoint
CREATE INDEX `conversions_publisher_status` ON `conversions` (`publisher_id`,`status`,`id`);--> statement-breakpoint
CREATE INDEX `conversions_publisher_program` ON `conversions` (`publisher_id`,`program_id`,`created_at`);