import { eq } from "drizzle-orm";
import { rgb } from "pdf-lib";
import type { AppContext } from "../../context";
import { settlements } from "../../db/schema";
import { formatMinor } from "../../shared/money";
import { getInvoice } from "../invoices";
import { getNetworkSettings, type NetworkSettings } from "../network-settings";
import { A4, ACCENT, Doc, MARGIN, MUTED } from "./document";

export const longDate = (t: number, zone: string) => new Intl.DateTimeFormat("en-GB", { timeZone: zone, day: "numeric", month: "long", year: "numeric" }).format(new Date(t));
export const monthName = (period: string) => new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", month: "long", year: "numeric" }).format(new Date(`${period}-15T00:00:00Z`));

/** The network's block at the top left of every document. */
export function networkBlock(d: Doc, n: NetworkSettings) {
  d.text(n.name, MARGIN, d.y, { size: 18, bold: true, color: ACCENT, width: 280 });
  d.y -= 20;
  const lines = [n.legal_name !== n.name ? n.legal_name : "", ...n.address.split("\n"), n.tax_id ? `Tax ID ${n.tax_id}` : "", n.email ?? ""].filter(Boolean);
  d.lines(lines, MARGIN, { size: 9, color: MUTED, width: 280 });
}

/** Label / value pairs at the top right. */
export function facts(d: Doc, top: number, title: string, pairs: [string, string][]) {
  const right = A4.width - MARGIN;
  d.text(title, right, top, { size: 22, bold: true, align: "right" });
  let y = top - 24;
  for (const [k, v] of pairs) {
    d.text(k, right - 120, y, { size: 9, color: MUTED, align: "right" });
    d.text(v, right, y, { size: 9, bold: true, align: "right", width: 115 });
    y -= 14;
  }
  return y;
}

/**
 * A brand invoice (SPEC §9): the network's legal details, the brand's billing
 * details as issued, period, number, issue and due dates, a line per program
 * and per adjustment, totals, payment instructions and the close's audit hash.
 */
export async function invoicePdf(ctx: AppContext, id: string, scope: { brandId?: string } = {}): Promise<{ filename: string; bytes: Uint8Array }> {
  const { row: inv, lines } = await getInvoice(ctx, id, scope);
  const network = await getNetworkSettings(ctx);
  const [s] = await ctx.db.select().from(settlements).where(eq(settlements.id, inv.settlementId));
  const zone = s?.timezone ?? ctx.config.NETWORK_TIMEZONE;
  const m = (minor: number) => `${formatMinor(minor, inv.currency)} ${inv.currency}`;
  const d = await Doc.create(`Invoice ${inv.number}`, `${network.legal_name} · Invoice ${inv.number} · audit hash of the ${inv.period} close: ${s?.auditHash ?? ""}`);
  const top = d.y;
  networkBlock(d, network);
  const factsEnd = facts(d, top, "INVOICE", [
    ["Number", inv.number], ["Issued", longDate(inv.issuedAt, zone)], ["Due (Net 30)", longDate(inv.dueAt, zone)],
    ["Period", monthName(inv.period)], ["Status", inv.status.toUpperCase()],
  ]);
  d.y = Math.min(d.y, factsEnd) - 16;

  const bill = JSON.parse(inv.billTo) as { name: string; address?: string; tax_id?: string | null; email?: string | null };
  d.text("BILL TO", MARGIN, d.y, { size: 8, bold: true, color: MUTED });
  d.y -= 15;
  d.text(bill.name, MARGIN, d.y, { size: 12, bold: true, width: 300 });
  d.y -= 15;
  d.lines([...(bill.address ?? "").split("\n"), bill.tax_id ? `Tax ID ${bill.tax_id}` : "", bill.email ?? ""].filter(Boolean), MARGIN, { size: 9.5, width: 300 });
  if (inv.replacesId) d.lines(["Replaces a voided invoice of the same period."], MARGIN, { size: 8.5, color: MUTED });
  d.y -= 14;

  const cols = [
    { title: "Description", width: 140, align: "left" as const }, { title: "Conv.", width: 38, align: "right" as const },
    { title: "Gross sales", width: 75, align: "right" as const }, { title: "Publisher payouts", width: 102, align: "right" as const },
    { title: "Network fee", width: 70, align: "right" as const }, { title: "Amount", width: 70, align: "right" as const },
  ];
  const f = (minor: number) => formatMinor(minor, inv.currency);
  d.table(cols, lines.map((l) => [
    l.kind === "adjustment" ? `Adjustment: ${l.description}` : l.description, l.kind === "program" ? String(l.conversions) : "",
    f(l.grossMinor), f(l.payoutsMinor), f(l.feeMinor), f(l.amountMinor),
  ]));

  d.ensure(110);
  const right = A4.width - MARGIN;
  const total = (label: string, value: string, bold = false, size = 9.5) => {
    d.text(label, right - 110, d.y, { size, bold, color: bold ? undefined : MUTED, align: "right" });
    d.text(value, right, d.y, { size, bold, align: "right" });
    d.y -= size + 6;
  };
  d.y -= 4;
  total("Publisher payouts", m(inv.payoutsMinor));
  total("Network fee", m(inv.feeMinor));
  if (inv.adjustmentsMinor !== 0) total("Adjustments", m(inv.adjustmentsMinor));
  d.page.drawLine({ start: { x: right - 230, y: d.y + 10 }, end: { x: right, y: d.y + 10 }, thickness: 0.8, color: rgb(0.2, 0.2, 0.2) });
  d.y -= 4;
  total(inv.totalMinor < 0 ? "Credit" : "Total due", m(inv.totalMinor), true, 12);
  d.y -= 12;

  d.ensure(120);
  d.text("PAYMENT INSTRUCTIONS", MARGIN, d.y, { size: 8, bold: true, color: MUTED });
  d.y -= 14;
  const pay: string[] = [`Please pay ${m(inv.totalMinor)} by ${longDate(inv.dueAt, zone)}, quoting ${inv.number}.`];
  if (network.wire) pay.push(`USD wire: ${network.wire.bank_name}, account ${network.wire.account_name}, no. ${network.wire.account_number}${network.wire.swift ? `, SWIFT ${network.wire.swift}` : ""}${network.wire.bank_address ? `, ${network.wire.bank_address}` : ""}`);
  if (network.ach) pay.push(`ACH: ${network.ach.bank_name}, account ${network.ach.account_name}, routing ${network.ach.routing_number}, account no. ${network.ach.account_number}`);
  if (!network.wire && !network.ach) pay.push(`Bank details: ask ${network.email ?? network.legal_name}.`);
  d.lines(pay, MARGIN, { size: 9, width: A4.width - 2 * MARGIN });
  d.y -= 8;
  d.lines([`Audit hash of the ${inv.period} close (sha256): ${s?.auditHash ?? ""}`], MARGIN, { size: 7.5, color: MUTED, width: A4.width - 2 * MARGIN });

  if (inv.status === "void") {
    for (const p of d.pdf.getPages()) p.drawText("VOID", { x: 150, y: 380, size: 120, font: d.bold, color: rgb(0.85, 0.2, 0.2), opacity: 0.25 });
  }
  return { filename: `${inv.number}.pdf`, bytes: await d.bytes() };
}
