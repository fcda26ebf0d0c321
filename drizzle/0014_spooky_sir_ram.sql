CREATE TABLE `reconciliation_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`integration_id` text NOT NULL,
	`period` text NOT NULL,
	`provider` text NOT NULL,
	`report` text NOT NULL,
	`created_by` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `reconciliation_runs_integration` ON `reconciliation_runs` (`integration_id`,`created_at`);