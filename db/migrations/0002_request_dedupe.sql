CREATE TABLE `request_ledger` (
	`key` text PRIMARY KEY NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `request_ledger_expires_idx` ON `request_ledger` (`expires_at`);