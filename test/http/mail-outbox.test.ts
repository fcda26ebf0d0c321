import { afterAll, beforeAll, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { deliverMail, MAIL_BACKOFF_MS } from "../../src/mail/deliver";
import { makeTestApp, type TestApp } from "../helpers/app";
import { api, approve, click, makeBrand, makeProgram, postback } from "../helpers/factories";
import { startSmtpSink } from "../helpers/smtp-sink";

// With SMTP_URL, a close queues its invoice and statement mails in its own
// transaction; the outbox job sends them (PDF attached) to a real local SMTP
// server, once; a failing server is retried with backoff and every attempt logged.
let t: TestApp;
let sink: Awaited<ReturnType<typeof startSmtpSink>>;

beforeAll(async () => {
  sink = await startSmtpSink();
  t = await makeTestApp({ SMTP_URL: sink.url, MAIL_FROM: "Nordlicht <billing@nordlicht.example>" });
  const brand = await makeBrand(t, "Łódź Outdoor");
  await api(t, "PUT", `/api/admin/brands/${brand.id}/billing`, { legal_name: "Łódź Outdoor Sp. z o.o.", address: "ul. Piotrkowska 1", email: "ap@lodz.example" });
  const program = await makeProgram(t, brand.id, { commission_type: "flat_cpa", commission_value: "100.00" });
  const pub = await api(t, "POST", "/api/admin/publishers", { name: "Ремонт", email: "remont@pub.example", payout_method: "PayPal", payout_details: { email: "remont@pub.example" } });
  const link = await approve(t, program.id, pub.id);
  const { clickId } = await click(t, `/go/${link.slug}`);
  const { conversion } = await (await postback(t, brand.liveKey, { program_id: program.id, brand_order_ref: "M-1", order_value: "10", order_currency: "USD", lc_click: clickId })).json();
  await api(t, "POST", `/api/admin/conversions/${conversion.id}/approve`);
});
afterAll(async () => { await t.close(); await sink.close(); });

const outbox = async () => (await t.ctx.client.execute("SELECT kind, to_address, status, attempts, last_error FROM mail_outbox ORDER BY kind")).rows.map((r) => ({ ...r }) as Record<string, unknown>);

test("a failing SMTP server: the attempt is logged, the mail waits for its retry", async () => {
  t.clock.set(Date.UTC(2026, 11, 1, 0, 5));
  await api(t, "POST", "/api/admin/settlements", { period: "2026-11" });
  expect(await outbox()).toEqual([
    { kind: "invoice", to_address: "ap@lodz.example", status: "pending", attempts: 0, last_error: null },
    { kind: "statement", to_address: "remont@pub.example", status: "pending", attempts: 0, last_error: null },
  ]);
  const down = { ...t.ctx, config: { ...t.ctx.config, SMTP_URL: "smtp://127.0.0.1:1" } };
  expect(await deliverMail(down)).toEqual({ done: 0, alreadyDone: 0, failures: 2 });
  expect((await outbox()).map((m) => [m.status, m.attempts])).toEqual([["pending", 1], ["pending", 1]]);
  const attempts = (await t.ctx.client.execute("SELECT ok, error FROM mail_attempts")).rows;
  expect(attempts.length).toBe(2);
  expect(attempts.every((a) => Number(a.ok) === 0 && String(a.error).length > 0)).toBe(true);
  // Not due yet: nothing is tried before the backoff.
  expect(await deliverMail(t.ctx)).toEqual({ done: 0, alreadyDone: 0, failures: 0 });
  t.clock.advance(MAIL_BACKOFF_MS[0]!);
});

test("the retry reaches the real SMTP server: invoice and statement with their PDFs, each once", async () => {
  expect(await deliverMail(t.ctx)).toEqual({ done: 2, alreadyDone: 0, failures: 0 });
  expect(sink.received.length).toBe(2);
  const invoice = sink.received.find((m) => m.to === "ap@lodz.example")!;
  expect(invoice.subject).toContain("invoice for 2026-11");
  expect(invoice.attachments.map((a) => [a.filename, a.contentType])).toEqual([["LC-2026-11-0001.pdf", "application/pdf"]]);
  const file = join(t.dir, "mailed.pdf");
  writeFileSync(file, invoice.attachments[0]!.content);
  expect(Bun.spawnSync(["pdftotext", file, "-"]).stdout.toString()).toContain("Łódź Outdoor Sp. z o.o.");
  const statement = sink.received.find((m) => m.to === "remont@pub.example")!;
  expect(statement.attachments[0]!.filename).toStartWith("statement-2026-11-USD-");
  expect((await outbox()).map((m) => m.status)).toEqual(["sent", "sent"]);
  // A rerun of the close and of the job sends nothing again.
  await t.request("/api/admin/settlements", { method: "POST", token: t.adminToken, json: { period: "2026-11" } });
  t.clock.advance(3_600_000);
  expect(await deliverMail(t.ctx)).toEqual({ done: 0, alreadyDone: 0, failures: 0 });
  expect(sink.received.length).toBe(2);
});

test("without SMTP_URL nothing is queued and nothing fails", async () => {
  const off = await makeTestApp();
  try {
    off.clock.set(Date.UTC(2026, 11, 1, 0, 5));
    expect((await off.request("/api/admin/settlements", { method: "POST", token: off.adminToken, json: { period: "2026-11" } })).status).toBe(201);
    expect(Number((await off.ctx.client.execute("SELECT count(*) AS n FROM mail_outbox")).rows[0]!.n)).toBe(0);
    expect(await deliverMail(off.ctx)).toEqual({ done: 0, alreadyDone: 0, failures: 0 });
  } finally {
    await off.close();
  }
});
