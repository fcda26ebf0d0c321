CREATE INDEX `conversions_created` ON `conversions` (`created_at`);--> statement-breakpoint
CREATE INDEX `conversions_program_created` ON `conversions` (`program_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `conversions_click` ON `conversions` (`click_id`);--> statement-breakpoint
CREATE INDEX `inbox_conversion` ON `inbox` (`conversion_id`);--> statement-breakpoint
CREATE INDEX `outbox_conversion` ON `outbox` (`conversion_id`);