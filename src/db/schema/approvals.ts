import { sqliteTable, text, uniqueIndex, index } from "drizzle-orm/sqlite-core";
import { ms } from "./common";
import { programs } from "./programs";
import { publishers } from "./publishers";

export const approvals = sqliteTable("approvals", {
  id: text("id").primaryKey(),
  programId: text("program_id").notNull().references(() => programs.id),
  publisherId: text("publisher_id").notNull().references(() => publishers.id),
  status: text("status", { enum: ["pending", "approved", "rejected", "suspended"] }).notNull(),
  /** Unguessable tracking-link key: {PUBLIC_URL}/go/{slug}. */
  slug: text("slug").notNull().unique(),
  createdAt: ms("created_at").notNull(),
  updatedAt: ms("updated_at").notNull(),
}, (t) => [
  uniqueIndex("approvals_program_publisher").on(t.programId, t.publisherId),
  index("approvals_publisher").on(t.publisherId),
]);

/** Vendor links (/api/v/{key}?s=...): another key onto the same approval. */
export const vendorLinks = sqliteTable("vendor_links", {
  id: text("id").primaryKey(),
  key: text("key").notNull().unique(),
  approvalId: text("approval_id").notNull().references(() => approvals.id),
  createdAt: ms("created_at").notNull(),
});
