/**
 * The paced postback sender of bench/console/live.ts, in its own process:
 * RATE POST /api/conv per second on a fixed schedule (open loop: a slow
 * answer does not delay the next send), each a new order naming a stored
 * click of a known approval, with its brand's live key. Writes every answered
 * conversion (id, brand, publisher, sent / answered time) to OUT as JSON.
 *
 *   bun bench/console/live-sender.ts PORT TARGETS_JSON RATE SECONDS WARM_SECONDS OUT TAG
 *   stdout: "SENDER_DONE {...}"
 */
import { readFileSync, writeFileSync } from "node:fs";
import type { SentConversion } from "./live-clients";

export interface Target { programId: string; clickId: string; key: string; brandId: string; publisherId: string }

const now = () => performance.timeOrigin + performance.now();
const [port, targetsFile, rate, seconds, warmSeconds, out, tag] = process.argv.slice(2) as [string, string, string, string, string, string, string];
const targets = JSON.parse(readFileSync(targetsFile, "utf8")) as Target[];
const RATE = Number(rate), TOTAL = Math.round(RATE * (Number(seconds) + Number(warmSeconds))), WARM = Math.round(RATE * Number(warmSeconds));
const url = `http://127.0.0.1:${port}/api/conv`;

const sent: SentConversion[] = [];
const statuses: Record<string, number> = {};
const answerMs: number[] = [];
let maxLateMs = 0, lastAnswer = 0;

async function send(i: number) {
  const t = targets[(i * 7919) % targets.length]!; // spread over approvals, deterministic
  const body = JSON.stringify({ program_id: t.programId, brand_order_ref: `${tag}-${i}`, order_value: `${10 + (i % 300)}.${String(i % 100).padStart(2, "0")}`, order_currency: "USD", lc_click: t.clickId });
  const sentAt = now();
  try {
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${t.key}` }, body });
    const answeredAt = now();
    lastAnswer = Math.max(lastAnswer, answeredAt);
    statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    const j = (await res.json()) as { conversion?: { id: string } };
    if (res.status !== 200 || !j.conversion) return;
    answerMs.push(answeredAt - sentAt);
    sent.push({ id: j.conversion.id, brandId: t.brandId, publisherId: t.publisherId, sentAt, answeredAt, warm: i < WARM });
  } catch {
    statuses.error = (statuses.error ?? 0) + 1;
  }
}

const start = now() + 20;
const inflight: Promise<void>[] = [];
for (let i = 0; i < TOTAL; i++) {
  const due = start + (i * 1000) / RATE;
  const wait = due - now();
  if (wait > 1) await Bun.sleep(wait);
  maxLateMs = Math.max(maxLateMs, now() - due);
  inflight.push(send(i));
}
const lastSend = now();
await Promise.all(inflight);
writeFileSync(out, JSON.stringify(sent));
answerMs.sort((a, b) => a - b);
const pct = (p: number) => answerMs[Math.min(answerMs.length - 1, Math.floor((p / 100) * answerMs.length))] ?? NaN;
console.log(`SENDER_DONE ${JSON.stringify({
  requested: TOTAL, ok: sent.length, statuses, sendRate: (TOTAL - 1) / ((lastSend - start) / 1000), okRate: sent.length / ((lastAnswer - start) / 1000),
  answerP50: pct(50), answerP99: pct(99), maxLateMs,
})}`);
