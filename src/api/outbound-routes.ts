import { createPostback, createPostbackBody, deletePostback, listAttempts, listAttemptsQuery, listPostbacks, MACROS, updatePostback, updatePostbackBody } from "../outbound";
import { route } from "./route";

const macroList = MACROS.map((m) => `{${m}}`).join(" ");

/** Publisher postback endpoints (outbound conversion notifications), admin token required. */
export const outboundRoutes = [
  route({ method: "post", path: "/api/admin/publishers/{id}/postbacks", auth: "admin", tag: "publisher postbacks", status: 201,
    summary: `Register a publisher postback URL for conversion.created/approved/reversed. Macros: ${macroList}. POST sends JSON; with signing_secret it carries X-Lastclick-Signature: sha256=<hex HMAC of the body> and X-Lastclick-Timestamp`,
    body: createPostbackBody, handler: ({ ctx, actor, params, body }) => createPostback(ctx, actor, params.id!, body) }),
  route({ method: "get", path: "/api/admin/publishers/{id}/postbacks", auth: "admin", tag: "publisher postbacks",
    summary: "List a publisher's postback endpoints: status (active|paused), consecutive failures, pause reason, delivery counts, recent attempts",
    handler: async ({ ctx, params }) => ({ data: await listPostbacks(ctx, params.id!) }) }),
  route({ method: "patch", path: "/api/admin/publishers/{id}/postbacks/{pid}", auth: "admin", tag: "publisher postbacks",
    summary: "Change a postback endpoint; {status: \"active\"} resumes a paused one (failures reset, held deliveries sent), {status: \"paused\"} stops it",
    body: updatePostbackBody, handler: ({ ctx, actor, params, body }) => updatePostback(ctx, actor, params.id!, params.pid!, body) }),
  route({ method: "delete", path: "/api/admin/publishers/{id}/postbacks/{pid}", auth: "admin", tag: "publisher postbacks",
    summary: "Remove a postback endpoint (undelivered notifications are dropped; the attempt log is kept)",
    handler: ({ ctx, actor, params }) => deletePostback(ctx, actor, params.id!, params.pid!) }),
  route({ method: "get", path: "/api/admin/publishers/{id}/postbacks/{pid}/attempts", auth: "admin", tag: "publisher postbacks",
    summary: "Delivery attempts of one endpoint, newest first (cursor paged)", query: listAttemptsQuery,
    handler: ({ ctx, params, query }) => listAttempts(ctx, params.id!, params.pid!, query) }),
];
