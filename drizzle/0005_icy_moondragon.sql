CREATE TABLE `program_scores` (
	`id` text PRIMARY KEY NOT NULL,
	`program_id` text NOT NULL,
	`rubric_version` integer NOT NULL,
	`scores` text NOT NULL,
	`note` text,
	`actor_id` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `program_scores_program` ON `program_scores` (`program_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `rubric_versions` (
	`version` integer PRIMARY KEY NOT NULL,
	`threshold_hundredths` integer NOT NULL,
	`signals` text NOT NULL,
	`flat_commission_minor` integer,
	`flat_commission_currency` text,
	`actor_id` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `rubric_versions_created` ON `rubric_versions` (`created_at`);--> statement-breakpoint
CREATE TABLE `smart_links` (
	`id` text PRIMARY KEY NOT NULL,
	`code` text NOT NULL,
	`criteria` text NOT NULL,
	`publisher_id` text,
	`match_page` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`publisher_id`) REFERENCES `publishers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `smart_links_code_unique` ON `smart_links` (`code`);--> statement-breakpoint
ALTER TABLE `programs` ADD `attributes` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE `clicks` ADD `smart_link_id` text;--> statement-breakpoint
ALTER TABLE `clicks` ADD `rubric_version` integer;--> statement-breakpoint
ALTER TABLE `clicks` ADD `route_score` integer;--> statement-breakpoint
ALTER TABLE `clicks` ADD `route_criteria` text;