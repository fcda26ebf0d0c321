/**
 * One validation step for every provider: the adapters say where each value
 * came from, this checks it and builds the NormalizedConversion (or the list
 * of reasons, in words, naming the field the platform sent).
 */
import { MoneyParseError, normalizeCurrency, parseDecimal, type Decimal } from "../../shared/money";
import type { ConversionStatus, NormalizedConversion, ParseResult } from "../types";
import { isMacro, scalarText } from "./fields";
import { parseTimestamp } from "./time";

/** A value and the name of the field it came from (for messages). */
export interface Source { name: string; value: unknown }

export interface Draft {
  orderRef: Source;
  amount: Source;
  currency: Source;
  clickRef: Source;
  commission?: Source;
  occurredAt?: Source;
  /** A mapped status, or the word we could not map. */
  status: ConversionStatus | { unknown: string; name: string };
  testFlag: boolean;
  dedupeKey?: string | null;
  topic?: string | null;
}

export const MAX_ID_CHARS = 200;
/** Anything above this is a wrong field or an attack, not an order (10^13 major units). */
const ABSURD = 10n ** 13n;

type Read = { text: string | null; macro: string | null };

function read(src: Source): Read {
  const t = scalarText(src.value);
  if (t === null || t.trim() === "") return { text: null, macro: null };
  return isMacro(t) ? { text: null, macro: t.trim() } : { text: t, macro: null };
}

function idField(label: string, src: Source, reasons: string[], required: boolean): string | null {
  const { text, macro } = read(src);
  if (macro !== null && required) reasons.push(`${label} (${src.name}) is an unreplaced macro ${macro}`);
  else if (text === null && required && macro === null) reasons.push(`missing ${label} (${src.name})`);
  if (text !== null && text.length > MAX_ID_CHARS) {
    reasons.push(`${label} (${src.name}) is longer than ${MAX_ID_CHARS} characters`);
    return null;
  }
  return text;
}

function decimalField(label: string, src: Source, reasons: string[], required: boolean): { text: string; d: Decimal } | null {
  const { text, macro } = read(src);
  if (text === null) {
    if (required) reasons.push(macro !== null ? `${label} (${src.name}) is an unreplaced macro ${macro}` : `missing ${label} (${src.name})`);
    return null;
  }
  let d: Decimal;
  try { d = parseDecimal(text); } catch (e) {
    if (!(e instanceof MoneyParseError)) throw e;
    reasons.push(`${label} (${src.name}) "${text.slice(0, 40)}" must be a decimal number like 59.00`);
    return null;
  }
  if (d.units < 0n) { reasons.push(`${label} (${src.name}) must not be negative`); return null; }
  if (d.units > ABSURD * 10n ** BigInt(d.scale)) { reasons.push(`${label} (${src.name}) is implausibly large`); return null; }
  return { text: text.trim(), d };
}

function currencyField(src: Source, reasons: string[]): string | null {
  const { text, macro } = read(src);
  if (text === null) {
    reasons.push(macro !== null ? `currency (${src.name}) is an unreplaced macro ${macro}` : `missing currency (${src.name})`);
    return null;
  }
  if (normalizeCurrency(text) === null) {
    reasons.push(`currency (${src.name}) "${text.slice(0, 20)}" is not an ISO 4217 code`);
    return null;
  }
  return text.trim();
}

function timeField(src: Source | undefined, reasons: string[]): number | null {
  if (!src) return null;
  const { text } = read(src);
  if (text === null) return null;
  const ms = parseTimestamp(text);
  if (ms === null) reasons.push(`${src.name} "${text.slice(0, 40)}" is not a timestamp (ISO 8601, unix seconds or milliseconds)`);
  return ms;
}

/** Exactly 0.01, however it is written ("0.01", "0.010", "1e-2"). */
function isOneCent(d: Decimal): boolean {
  return d.scale >= 2 && d.units === 10n ** BigInt(d.scale - 2);
}

export function buildConversion(draft: Draft): ParseResult {
  const reasons: string[] = [];
  const orderRef = idField("order id", draft.orderRef, reasons, true);
  const amount = decimalField("amount", draft.amount, reasons, true);
  const currency = currencyField(draft.currency, reasons);
  const clickRef = idField("click id", draft.clickRef, reasons, false);
  const commission = draft.commission ? decimalField("commission", draft.commission, reasons, false) : null;
  const occurredAt = timeField(draft.occurredAt, reasons);
  if (typeof draft.status === "object") {
    reasons.push(`status (${draft.status.name}) "${draft.status.unknown.slice(0, 40)}" is not recognised`);
  }
  if (reasons.length > 0 || orderRef === null || amount === null || currency === null || typeof draft.status === "object") {
    return { ok: false, reasons };
  }
  const conversion: NormalizedConversion = {
    orderRef,
    amount: amount.text,
    currency,
    clickRef,
    status: draft.status,
    isTest: draft.testFlag || /^test/i.test(orderRef) || isOneCent(amount.d),
    platformCommission: commission?.text ?? null,
    occurredAt,
    dedupeKey: draft.dedupeKey ?? null,
    topic: draft.topic ?? null,
  };
  return { ok: true, conversion };
}
