import type { Elysia } from "elysia";
import { linkNotFoundPage } from "../../views/public/link-status";
import { referrerLedgerPage } from "../../views/public/referrer-ledger";
import type { AppContext } from "../context";
import { checkLedgerSignature, referrerLedger } from "./referrers";

/** GET /r/{id}/ledger?sig=...: a referrer's own ledger, read-only, by signed link. */
export function mountReferrerLedgerPage(app: Elysia, ctx: AppContext): void {
  app.get("/r/:id/ledger", async ({ params, request }: { params: Record<string, string>; request: Request }) => {
    const url = new URL(request.url);
    // A wrong signature looks exactly like an unknown referrer.
    if (!checkLedgerSignature(ctx, params.id!, url.searchParams.get("sig"))) {
      return new Response(linkNotFoundPage(), { status: 404, headers: { "content-type": "text/html; charset=utf-8" } });
    }
    const ledger = await referrerLedger(ctx, params.id!);
    const headers = { "cache-control": "private, no-store", "referrer-policy": "no-referrer" };
    if (url.searchParams.get("format") === "json") return Response.json(ledger, { headers });
    return new Response(referrerLedgerPage(ledger), { headers: { ...headers, "content-type": "text/html; charset=utf-8" } });
  });
}
