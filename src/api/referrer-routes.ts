import { createReferrer, createReferrerBody, listReferrers, referrerLedger } from "../ledger/referrers";
import { route } from "./route";

/** Referrers and their credit ledgers (admin). */
export const referrerRoutes = [
  route({ method: "post", path: "/api/admin/referrers", auth: "admin", tag: "referrals", status: 201, errors: [409],
    summary: "Create a referrer with a referral code (carried on links as ?ref=CODE); returns its signed read-only ledger link",
    body: createReferrerBody, handler: ({ ctx, actor, body }) => createReferrer(ctx, actor, body) }),
  route({ method: "get", path: "/api/admin/referrers", auth: "admin", tag: "referrals", summary: "List referrers with balances",
    handler: async ({ ctx }) => ({ data: await listReferrers(ctx) }) }),
  route({ method: "get", path: "/api/admin/referrers/{id}/ledger", auth: "admin", tag: "referrals", summary: "A referrer's ledger entries and balances",
    handler: ({ ctx, params }) => referrerLedger(ctx, params.id!) }),
];
