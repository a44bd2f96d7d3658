CREATE TABLE `campaign_members` (
	`campaign_id` integer NOT NULL,
	`customer_id` text NOT NULL,
	`group_name` text NOT NULL,
	`segment` text NOT NULL,
	`score` real,
	`decile` integer NOT NULL,
	`assigned_at` integer NOT NULL,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `campaign_members_campaign_idx` ON `campaign_members` (`campaign_id`,`group_name`);--> statement-breakpoint
CREATE TABLE `campaigns` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`channel_id` text NOT NULL,
	`name` text NOT NULL,
	`name_key` text NOT NULL,
	`status` text NOT NULL,
	`dataset_id` integer NOT NULL,
	`run_id` integer,
	`product` text,
	`definition` text NOT NULL,
	`latest_result` text,
	`created_by` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`closed_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `campaigns_channel_name_unique` ON `campaigns` (`channel_id`,`name_key`);--> statement-breakpoint
CREATE TABLE `suppression_entries` (
	`channel_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`added_by` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	PRIMARY KEY(`channel_id`, `customer_id`)
);
--> statement-breakpoint
-- A campaign's split is a record of what was done: refuse any change to an assignment.
CREATE TRIGGER `campaign_members_immutable` BEFORE UPDATE ON `campaign_members`
BEGIN
	SELECT RAISE(ABORT, 'campaign assignments are immutable');
END;
