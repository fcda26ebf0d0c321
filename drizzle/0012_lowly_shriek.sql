CREATE TABLE `changes` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`kind` text NOT NULL,
	`entity_id` text NOT NULL,
	`brand_id` text,
	`publisher_id` text,
	`program_id` text,
	`origin` text NOT NULL,
	`payload` text
);
--> statement-breakpoint
CREATE INDEX `changes_at` ON `changes` (`at`);--> statement-breakpoint
CREATE TABLE `pending_attributions` (
	`conversion_id` text PRIMARY KEY NOT NULL,
	`click_id` text NOT NULL,
	`due_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `pending_attributions_due` ON `pending_attributions` (`due_at`);