import { z } from "zod";
import { PROVIDERS } from "../db/schema";
import { getInboxRow, listInbox, listInboxQuery, serializeInbox } from "../integrations/inbox";
import { createIntegration, createIntegrationBody, getIntegrationRow, listIntegrations, serializeIntegration, updateIntegration, updateIntegrationBody } from "../integrations/integration-store";
import { replayInbox } from "../integrations/replay";
import { route } from "./route";

/** Platform integrations and the postback inbox (admin). */
export const integrationRoutes = [
  route({ method: "post", path: "/api/admin/integrations", auth: "admin", tag: "integrations", status: 201,
    summary: "Connect a program to an affiliate platform (starts in test mode); returns the webhook URL to configure there",
    body: createIntegrationBody, handler: ({ ctx, actor, body }) => createIntegration(ctx, actor, body) }),
  route({ method: "get", path: "/api/admin/integrations", auth: "admin", tag: "integrations", summary: "List integrations (secrets never shown)",
    query: z.strictObject({ program_id: z.string().max(64).optional(), provider: z.enum(PROVIDERS).optional() }),
    handler: async ({ ctx, query }) => ({ data: (await listIntegrations(ctx, { programId: query.program_id, provider: query.provider })).map((r) => serializeIntegration(ctx, r)) }) }),
  route({ method: "get", path: "/api/admin/integrations/{id}", auth: "admin", tag: "integrations", summary: "Get an integration",
    handler: async ({ ctx, params }) => serializeIntegration(ctx, await getIntegrationRow(ctx, params.id!)) }),
  route({ method: "patch", path: "/api/admin/integrations/{id}", auth: "admin", tag: "integrations",
    summary: "Change an integration: {mode: \"live\"} once test conversions reconcile (audited), or rotate credentials",
    body: updateIntegrationBody, handler: ({ ctx, actor, params, body }) => updateIntegration(ctx, actor, params.id!, body) }),

  route({ method: "get", path: "/api/admin/inbox", auth: "admin", tag: "inbox", summary: "Every intake request with its verdict and reason (newest first)",
    query: listInboxQuery, handler: ({ ctx, query }) => listInbox(ctx, query) }),
  route({ method: "get", path: "/api/admin/inbox/{id}", auth: "admin", tag: "inbox", summary: "One stored intake request",
    handler: async ({ ctx, params }) => serializeInbox(await getInboxRow(ctx, params.id!)) }),
  route({ method: "post", path: "/api/admin/inbox/{id}/replay", auth: "admin", tag: "inbox", errors: [409],
    summary: "Replay a stored webhook request through the current configuration",
    body: z.strictObject({ integration_id: z.string().max(64).optional() }),
    handler: ({ ctx, actor, params, body }) => replayInbox(ctx, actor, params.id!, { integrationId: body.integration_id }) }),
];
