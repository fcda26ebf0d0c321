ALTER TABLE `inbox` ADD `body_bytes` integer;--> statement-breakpoint
ALTER TABLE `inbox` ADD `repeat_count` integer DEFAULT 1 NOT NULL;