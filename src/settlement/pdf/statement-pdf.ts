import { eq } from "drizzle-orm";
import type { AppContext } from "../../context";
import { publishers, settlements } from "../../db/schema";
import { formatMinor } from "../../shared/money";
import { getNetworkSettings } from "../network-settings";
import { getPayout, type PayoutScope } from "../payouts";
import { A4, Doc, MARGIN, MUTED } from "./document";
import { facts, longDate, monthName, networkBlock } from "./invoice-pdf";

const STATUS_NOTE: Record<string, string> = {
  scheduled: "Scheduled: paid by your payout method on or after the due date.",
  paid: "Paid.",
  failed: "The payment failed; the amount returns to your balance and is carried into the next payout.",
  on_hold: "On hold: add a valid payout method; the balance is carried into the next payout.",
  carried: "Below the payout threshold (or not positive): the balance is carried into the next period.",
};

/** A publisher's statement of one payout: lines per program, adjustments, the carried balance, the total. */
export async function statementPdf(ctx: AppContext, payoutId: string, scope: PayoutScope = {}): Promise<{ filename: string; bytes: Uint8Array }> {
  const { row: p, lines } = await getPayout(ctx, payoutId, scope);
  const [pub] = await ctx.db.select().from(publishers).where(eq(publishers.id, p.publisherId));
  const [s] = await ctx.db.select().from(settlements).where(eq(settlements.id, p.settlementId));
  const network = await getNetworkSettings(ctx);
  const zone = s?.timezone ?? ctx.config.NETWORK_TIMEZONE;
  const f = (minor: number) => formatMinor(minor, p.currency);
  const d = await Doc.create(`Payout statement ${p.period}`, `${network.legal_name} · Payout statement ${p.period} · ${p.id} · audit hash ${s?.auditHash ?? ""}`);
  const top = d.y;
  networkBlock(d, network);
  const end = facts(d, top, "STATEMENT", [
    ["Period", monthName(p.period)], ["Payout", p.id.slice(0, 13)], ["Due", longDate(p.dueAt, zone)],
    ["Method", p.method ?? "none"], ["Status", p.status.replace("_", " ").toUpperCase()],
    ...(p.paidAt ? [["Paid", longDate(p.paidAt, zone)] as [string, string]] : []),
  ]);
  d.y = Math.min(d.y, end) - 16;
  d.text("PUBLISHER", MARGIN, d.y, { size: 8, bold: true, color: MUTED });
  d.y -= 15;
  d.text(pub?.name ?? p.publisherId, MARGIN, d.y, { size: 12, bold: true, width: 300 });
  d.y -= 15;
  d.lines([pub?.email ?? ""], MARGIN, { size: 9.5 });
  d.y -= 14;
  const order = { program: 0, adjustment: 1, carried: 2 } as const;
  const rows = [...lines].sort((a, b) => order[a.kind] - order[b.kind]).map((l) => [
    l.kind === "adjustment" ? `Adjustment: ${l.description}` : l.description, l.kind === "program" ? String(l.conversions) : "", f(l.amountMinor),
  ]);
  rows.push([`Total (${p.currency})`, String(p.conversions), f(p.amountMinor)]);
  d.table([{ title: "Description", width: 335, align: "left" }, { title: "Conversions", width: 80, align: "right" }, { title: `Amount (${p.currency})`, width: 80, align: "right" }], rows, { boldLast: true });
  d.y -= 8;
  d.ensure(60);
  d.lines([STATUS_NOTE[p.status] ?? "", `Payout threshold: ${f(p.thresholdMinor)} ${p.currency}.${p.reference ? ` Reference: ${p.reference}.` : ""}`], MARGIN, { size: 9, width: A4.width - 2 * MARGIN });
  d.y -= 8;
  // The full hash in the body (the footer has room for its start only), as on the invoice.
  d.lines([`Audit hash of the ${p.period} close (sha256): ${s?.auditHash ?? ""}`], MARGIN, { size: 7.5, color: MUTED, width: A4.width - 2 * MARGIN });
  return { filename: `statement-${p.period}-${p.currency}-${p.id.slice(0, 8)}.pdf`, bytes: await d.bytes() };
}
