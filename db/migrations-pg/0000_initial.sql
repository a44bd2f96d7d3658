CREATE TABLE "admins" (
	"user_id" text PRIMARY KEY NOT NULL,
	"added_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alert_settings" (
	"channel_id" text PRIMARY KEY NOT NULL,
	"threshold_pp" double precision NOT NULL,
	"updated_by" text,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "allowed_channels" (
	"channel_id" text PRIMARY KEY NOT NULL,
	"allowed_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assignments" (
	"run_id" integer PRIMARY KEY NOT NULL,
	"labels" "bytea" NOT NULL,
	"projection" "bytea"
);
--> statement-breakpoint
CREATE TABLE "campaign_members" (
	"campaign_id" integer NOT NULL,
	"customer_id" text NOT NULL,
	"group_name" text NOT NULL,
	"segment" text NOT NULL,
	"score" double precision,
	"decile" integer NOT NULL,
	"assigned_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "campaigns" (
	"id" serial PRIMARY KEY NOT NULL,
	"channel_id" text NOT NULL,
	"name" text NOT NULL,
	"name_key" text NOT NULL,
	"status" text NOT NULL,
	"dataset_id" integer NOT NULL,
	"run_id" integer,
	"product" text,
	"definition" text NOT NULL,
	"latest_result" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "change_threads" (
	"id" serial PRIMARY KEY NOT NULL,
	"channel_id" text NOT NULL,
	"run_id" integer NOT NULL,
	"previous_run_id" integer,
	"thread_ts" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "customers" (
	"dataset_id" integer NOT NULL,
	"row_index" integer NOT NULL,
	"customer_id" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dataset_columns" (
	"dataset_id" integer NOT NULL,
	"position" integer NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"missing" integer NOT NULL,
	"data" "bytea" NOT NULL,
	CONSTRAINT "dataset_columns_dataset_id_position_pk" PRIMARY KEY("dataset_id","position")
);
--> statement-breakpoint
CREATE TABLE "datasets" (
	"id" serial PRIMARY KEY NOT NULL,
	"channel_id" text NOT NULL,
	"version" integer NOT NULL,
	"file_name" text NOT NULL,
	"fingerprint" text NOT NULL,
	"row_count" integer NOT NULL,
	"delimiter" text NOT NULL,
	"schema" json NOT NULL,
	"quality" json NOT NULL,
	"uploaded_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "digest_ledger" (
	"channel_id" text NOT NULL,
	"period_key" text NOT NULL,
	"posted_at" timestamp with time zone NOT NULL,
	"late" boolean DEFAULT false NOT NULL,
	"message_ts" text,
	CONSTRAINT "digest_ledger_channel_id_period_key_pk" PRIMARY KEY("channel_id","period_key")
);
--> statement-breakpoint
CREATE TABLE "digest_schedules" (
	"channel_id" text PRIMARY KEY NOT NULL,
	"day" text NOT NULL,
	"time" text NOT NULL,
	"timezone" text NOT NULL,
	"pull_source" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "jobs" (
	"id" serial PRIMARY KEY NOT NULL,
	"channel_id" text NOT NULL,
	"kind" text NOT NULL,
	"status" text NOT NULL,
	"user_id" text,
	"progress_ts" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"error" text
);
--> statement-breakpoint
CREATE TABLE "models" (
	"id" serial PRIMARY KEY NOT NULL,
	"channel_id" text NOT NULL,
	"dataset_id" integer NOT NULL,
	"product" text NOT NULL,
	"model_format" text NOT NULL,
	"model" "bytea" NOT NULL,
	"metrics" text NOT NULL,
	"transform" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "request_ledger" (
	"key" text PRIMARY KEY NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "run_segments" (
	"run_id" integer NOT NULL,
	"segment_index" integer NOT NULL,
	"name" text NOT NULL,
	"persona" text NOT NULL,
	"size" integer NOT NULL,
	"share" double precision NOT NULL,
	"profile" json NOT NULL,
	"traits" json NOT NULL,
	"actions" json NOT NULL,
	"centroid" json NOT NULL,
	CONSTRAINT "run_segments_run_id_segment_index_pk" PRIMARY KEY("run_id","segment_index")
);
--> statement-breakpoint
CREATE TABLE "runs" (
	"id" serial PRIMARY KEY NOT NULL,
	"channel_id" text NOT NULL,
	"dataset_id" integer NOT NULL,
	"user_id" text NOT NULL,
	"status" text NOT NULL,
	"params" text NOT NULL,
	"k" integer,
	"silhouette" double precision,
	"inertia" double precision,
	"transform" text,
	"k_selection" text,
	"silhouette_sample" text,
	"pca" text,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "suppression_entries" (
	"channel_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"added_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "suppression_entries_channel_id_customer_id_pk" PRIMARY KEY("channel_id","customer_id")
);
--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_members" ADD CONSTRAINT "campaign_members_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "change_threads" ADD CONSTRAINT "change_threads_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "change_threads" ADD CONSTRAINT "change_threads_previous_run_id_runs_id_fk" FOREIGN KEY ("previous_run_id") REFERENCES "runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customers" ADD CONSTRAINT "customers_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "datasets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dataset_columns" ADD CONSTRAINT "dataset_columns_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "datasets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "models" ADD CONSTRAINT "models_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "datasets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "run_segments" ADD CONSTRAINT "run_segments_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runs" ADD CONSTRAINT "runs_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "datasets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "campaign_members_campaign_idx" ON "campaign_members" USING btree ("campaign_id","group_name");--> statement-breakpoint
CREATE UNIQUE INDEX "campaigns_channel_name_unique" ON "campaigns" USING btree ("channel_id","name_key");--> statement-breakpoint
CREATE UNIQUE INDEX "change_threads_channel_thread_unique" ON "change_threads" USING btree ("channel_id","thread_ts");--> statement-breakpoint
CREATE INDEX "customers_dataset_customer_idx" ON "customers" USING btree ("dataset_id","customer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "datasets_channel_version_unique" ON "datasets" USING btree ("channel_id","version");--> statement-breakpoint
CREATE INDEX "jobs_status_idx" ON "jobs" USING btree ("status");--> statement-breakpoint
CREATE INDEX "jobs_channel_idx" ON "jobs" USING btree ("channel_id","id");--> statement-breakpoint
CREATE INDEX "models_channel_dataset_product_idx" ON "models" USING btree ("channel_id","dataset_id","product");--> statement-breakpoint
CREATE INDEX "request_ledger_expires_idx" ON "request_ledger" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "runs_channel_idx" ON "runs" USING btree ("channel_id","id");--> statement-breakpoint
CREATE INDEX "runs_dataset_idx" ON "runs" USING btree ("dataset_id");--> statement-breakpoint
-- A campaign's split is a record of what was done: refuse any change to an assignment.
CREATE FUNCTION "campaign_members_immutable"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'campaign assignments are immutable';
END
$$;
--> statement-breakpoint
CREATE TRIGGER "campaign_members_immutable" BEFORE UPDATE ON "campaign_members"
	FOR EACH ROW EXECUTE FUNCTION "campaign_members_immutable"();
