CREATE TABLE `brand_billing` (
	`brand_id` text PRIMARY KEY NOT NULL,
	`legal_name` text NOT NULL,
	`address` text NOT NULL,
	`tax_id` text,
	`email` text,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `invoice_lines` (
	`id` text PRIMARY KEY NOT NULL,
	`invoice_id` text NOT NULL,
	`position` integer NOT NULL,
	`kind` text NOT NULL,
	`program_id` text,
	`description` text NOT NULL,
	`conversions` integer NOT NULL,
	`gross_minor` integer NOT NULL,
	`payouts_minor` integer NOT NULL,
	`fee_minor` integer NOT NULL,
	`amount_minor` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `invoice_lines_invoice` ON `invoice_lines` (`invoice_id`,`position`);--> statement-breakpoint
CREATE TABLE `invoices` (
	`id` text PRIMARY KEY NOT NULL,
	`settlement_id` text NOT NULL,
	`period` text NOT NULL,
	`seq` integer NOT NULL,
	`number` text NOT NULL,
	`brand_id` text NOT NULL,
	`currency` text NOT NULL,
	`status` text NOT NULL,
	`conversions` integer NOT NULL,
	`gross_minor` integer NOT NULL,
	`payouts_minor` integer NOT NULL,
	`fee_minor` integer NOT NULL,
	`adjustments_minor` integer NOT NULL,
	`total_minor` integer NOT NULL,
	`bill_to` text NOT NULL,
	`issued_at` integer NOT NULL,
	`due_at` integer NOT NULL,
	`paid_at` integer,
	`payment_reference` text,
	`voided_at` integer,
	`void_reason` text,
	`replaces_id` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `invoices_number_unique` ON `invoices` (`number`);--> statement-breakpoint
CREATE UNIQUE INDEX `invoices_period_seq` ON `invoices` (`period`,`seq`);--> statement-breakpoint
CREATE UNIQUE INDEX `invoices_live_once` ON `invoices` (`settlement_id`,`brand_id`,`currency`) WHERE status <> 'void';--> statement-breakpoint
CREATE INDEX `invoices_brand` ON `invoices` (`brand_id`,`period`);--> statement-breakpoint
CREATE TABLE `job_leases` (
	`job` text PRIMARY KEY NOT NULL,
	`holder` text NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `payout_lines` (
	`id` text PRIMARY KEY NOT NULL,
	`payout_id` text NOT NULL,
	`kind` text NOT NULL,
	`program_id` text,
	`description` text NOT NULL,
	`conversions` integer NOT NULL,
	`amount_minor` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `payout_lines_payout` ON `payout_lines` (`payout_id`);--> statement-breakpoint
CREATE TABLE `payouts` (
	`id` text PRIMARY KEY NOT NULL,
	`settlement_id` text NOT NULL,
	`period` text NOT NULL,
	`publisher_id` text NOT NULL,
	`currency` text NOT NULL,
	`conversions` integer NOT NULL,
	`earned_minor` integer NOT NULL,
	`adjustments_minor` integer NOT NULL,
	`carried_in_minor` integer NOT NULL,
	`amount_minor` integer NOT NULL,
	`threshold_minor` integer NOT NULL,
	`status` text NOT NULL,
	`method` text,
	`method_details` text,
	`due_at` integer NOT NULL,
	`reference` text,
	`failure_reason` text,
	`paid_at` integer,
	`failed_at` integer,
	`carried_into` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `payouts_once` ON `payouts` (`settlement_id`,`publisher_id`,`currency`);--> statement-breakpoint
CREATE INDEX `payouts_period_status` ON `payouts` (`period`,`status`);--> statement-breakpoint
CREATE INDEX `payouts_publisher` ON `payouts` (`publisher_id`,`currency`);--> statement-breakpoint
CREATE TABLE `publisher_thresholds` (
	`publisher_id` text PRIMARY KEY NOT NULL,
	`threshold` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `settlement_adjustments` (
	`id` text PRIMARY KEY NOT NULL,
	`conversion_id` text NOT NULL,
	`kind` text NOT NULL,
	`brand_id` text NOT NULL,
	`program_id` text NOT NULL,
	`publisher_id` text,
	`currency` text NOT NULL,
	`gross_minor` integer NOT NULL,
	`payout_minor` integer NOT NULL,
	`fee_minor` integer NOT NULL,
	`reason` text,
	`created_at` integer NOT NULL,
	`settlement_id` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `settlement_adjustments_once` ON `settlement_adjustments` (`conversion_id`,`kind`);--> statement-breakpoint
CREATE INDEX `settlement_adjustments_open` ON `settlement_adjustments` (`settlement_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `settlements` (
	`id` text PRIMARY KEY NOT NULL,
	`period` text NOT NULL,
	`period_start` integer NOT NULL,
	`period_end` integer NOT NULL,
	`timezone` text NOT NULL,
	`status` text NOT NULL,
	`closed_at` integer NOT NULL,
	`actor_type` text NOT NULL,
	`audit_hash` text,
	`summary` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `settlements_period_unique` ON `settlements` (`period`);--> statement-breakpoint
CREATE TABLE `mail_attempts` (
	`id` text PRIMARY KEY NOT NULL,
	`mail_id` text NOT NULL,
	`at` integer NOT NULL,
	`ok` integer NOT NULL,
	`error` text,
	`duration_ms` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `mail_attempts_mail` ON `mail_attempts` (`mail_id`);--> statement-breakpoint
CREATE TABLE `mail_outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`dedupe_key` text NOT NULL,
	`kind` text NOT NULL,
	`ref_id` text NOT NULL,
	`to_address` text NOT NULL,
	`subject` text NOT NULL,
	`body` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_error` text,
	`created_at` integer NOT NULL,
	`sent_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `mail_outbox_once` ON `mail_outbox` (`dedupe_key`);--> statement-breakpoint
CREATE INDEX `mail_outbox_due` ON `mail_outbox` (`status`,`next_attempt_at`);--> statement-breakpoint
ALTER TABLE `conversions` ADD `settlement_id` text;--> statement-breakpoint
CREATE INDEX `conversions_settlement` ON `conversions` (`settlement_id`,`id`);