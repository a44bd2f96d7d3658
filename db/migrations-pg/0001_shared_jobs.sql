ALTER TABLE "jobs" ADD COLUMN "request" text;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "owner" text;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "lease_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "digest_ledger" ADD COLUMN "claimed_by" text;--> statement-breakpoint
ALTER TABLE "digest_ledger" ADD COLUMN "lease_until" timestamp with time zone;
