import { z } from "zod";
import { OUTBOUND_EVENTS } from "./events";
import { templateProblems } from "./macros";

const url = z.string().trim().min(1).max(2048).superRefine((v, c) => {
  for (const message of templateProblems(v)) c.addIssue({ code: "custom", message });
});
const events = z.array(z.enum(OUTBOUND_EVENTS)).min(1, "subscribe to at least one event")
  .refine((a) => new Set(a).size === a.length, "lists an event twice");
const method = z.enum(["GET", "POST"]);
const signingSecret = z.string().min(16, "at least 16 characters").max(256);
export const SECRET_NEEDS_POST = "only for method POST (the signature covers the JSON body)";

export const createPostbackBody = z.strictObject({
  url,
  method: method.default("GET"),
  events: events.default([...OUTBOUND_EVENTS]),
  signing_secret: signingSecret.optional(),
}).superRefine((b, c) => {
  if (b.signing_secret !== undefined && b.method !== "POST") c.addIssue({ code: "custom", path: ["signing_secret"], message: SECRET_NEEDS_POST });
});

/** status "active" resumes (and resets the failure count); "paused" stops deliveries; signing_secret null removes it. */
export const updatePostbackBody = z.strictObject({
  url, method, events, signing_secret: signingSecret.nullable(), status: z.enum(["active", "paused"]),
}).partial().refine((b) => Object.keys(b).length > 0, "send at least one field to change");

export const listAttemptsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(64).optional(),
});
