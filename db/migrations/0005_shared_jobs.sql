ALTER TABLE `jobs` ADD `request` text;--> statement-breakpoint
ALTER TABLE `jobs` ADD `owner` text;--> statement-breakpoint
ALTER TABLE `jobs` ADD `lease_until` integer;--> statement-breakpoint
ALTER TABLE `jobs` ADD `attempts` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `digest_ledger` ADD `claimed_by` text;--> statement-breakpoint
ALTER TABLE `digest_ledger` ADD `lease_until` integer;
