CREATE TABLE `admins` (
	`user_id` text PRIMARY KEY NOT NULL,
	`added_by` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `alert_settings` (
	`channel_id` text PRIMARY KEY NOT NULL,
	`threshold_pp` real NOT NULL,
	`updated_by` text,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `allowed_channels` (
	`channel_id` text PRIMARY KEY NOT NULL,
	`allowed_by` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `assignments` (
	`run_id` integer PRIMARY KEY NOT NULL,
	`labels` blob NOT NULL,
	`projection` blob,
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `change_threads` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`channel_id` text NOT NULL,
	`run_id` integer NOT NULL,
	`previous_run_id` integer,
	`thread_ts` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`previous_run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `change_threads_channel_thread_unique` ON `change_threads` (`channel_id`,`thread_ts`);--> statement-breakpoint
CREATE TABLE `customers` (
	`dataset_id` integer NOT NULL,
	`row_index` integer NOT NULL,
	`customer_id` text NOT NULL,
	FOREIGN KEY (`dataset_id`) REFERENCES `datasets`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `customers_dataset_customer_idx` ON `customers` (`dataset_id`,`customer_id`);--> statement-breakpoint
CREATE TABLE `dataset_columns` (
	`dataset_id` integer NOT NULL,
	`position` integer NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`missing` integer NOT NULL,
	`data` blob NOT NULL,
	PRIMARY KEY(`dataset_id`, `position`),
	FOREIGN KEY (`dataset_id`) REFERENCES `datasets`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `datasets` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`channel_id` text NOT NULL,
	`version` integer NOT NULL,
	`file_name` text NOT NULL,
	`fingerprint` text NOT NULL,
	`row_count` integer NOT NULL,
	`delimiter` text NOT NULL,
	`schema` text NOT NULL,
	`quality` text NOT NULL,
	`uploaded_by` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `datasets_channel_version_unique` ON `datasets` (`channel_id`,`version`);--> statement-breakpoint
CREATE TABLE `digest_ledger` (
	`channel_id` text NOT NULL,
	`period_key` text NOT NULL,
	`posted_at` integer NOT NULL,
	`late` integer DEFAULT false NOT NULL,
	`message_ts` text,
	PRIMARY KEY(`channel_id`, `period_key`)
);
--> statement-breakpoint
CREATE TABLE `digest_schedules` (
	`channel_id` text PRIMARY KEY NOT NULL,
	`day` text NOT NULL,
	`time` text NOT NULL,
	`timezone` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `jobs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`channel_id` text NOT NULL,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`user_id` text,
	`progress_ts` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`started_at` integer,
	`finished_at` integer,
	`error` text
);
--> statement-breakpoint
CREATE INDEX `jobs_status_idx` ON `jobs` (`status`);--> statement-breakpoint
CREATE INDEX `jobs_channel_idx` ON `jobs` (`channel_id`,`id`);--> statement-breakpoint
CREATE TABLE `models` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`channel_id` text NOT NULL,
	`dataset_id` integer NOT NULL,
	`product` text NOT NULL,
	`model_format` text NOT NULL,
	`model` blob NOT NULL,
	`metrics` text NOT NULL,
	`transform` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`dataset_id`) REFERENCES `datasets`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `models_channel_dataset_product_idx` ON `models` (`channel_id`,`dataset_id`,`product`);--> statement-breakpoint
CREATE TABLE `run_segments` (
	`run_id` integer NOT NULL,
	`segment_index` integer NOT NULL,
	`name` text NOT NULL,
	`persona` text NOT NULL,
	`size` integer NOT NULL,
	`share` real NOT NULL,
	`profile` text NOT NULL,
	`traits` text NOT NULL,
	`actions` text NOT NULL,
	`centroid` text NOT NULL,
	PRIMARY KEY(`run_id`, `segment_index`),
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`channel_id` text NOT NULL,
	`dataset_id` integer NOT NULL,
	`user_id` text NOT NULL,
	`status` text NOT NULL,
	`params` text NOT NULL,
	`k` integer,
	`silhouette` real,
	`inertia` real,
	`transform` text,
	`k_selection` text,
	`silhouette_sample` text,
	`pca` text,
	`error` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`finished_at` integer,
	FOREIGN KEY (`dataset_id`) REFERENCES `datasets`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `runs_channel_idx` ON `runs` (`channel_id`,`id`);--> statement-breakpoint
CREATE INDEX `runs_dataset_idx` ON `runs` (`dataset_id`);