/**
 * Money: integer minor units, exact decimal parsing, one rounding rule.
 *
 * THE rounding rule: every division that cannot be exact is rounded to the
 * nearest minor unit, ties away from zero ("half up" for positive amounts:
 * 0.005 USD -> 0.01 USD). It is applied in exactly one place, `divRound`.
 * All arithmetic is on bigint so nothing passes through a float.
 */

/**
 * ISO 4217 currencies whose minor unit is not 2 digits. Everything else valid is 2.
 * A Map: a currency code can come from outside, and "constructor" must not find Object's.
 */
const NON_TWO_DIGIT_EXPONENTS = new Map<string, number>(Object.entries({
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0,
  UGX: 0, UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3, CLF: 4, UYW: 4,
}));

let knownCurrencies: Set<string> | null = null;
function currencySet(): Set<string> {
  if (!knownCurrencies) {
    const list = (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.("currency") ?? [];
    knownCurrencies = new Set([...list, ...NON_TWO_DIGIT_EXPONENTS.keys(), "USD", "EUR", "GBP"]);
  }
  return knownCurrencies;
}

/** Upper-cases and checks a currency code against ISO 4217; null when unknown. */
export function normalizeCurrency(code: string): string | null {
  const upper = code.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(upper)) return null;
  return currencySet().has(upper) ? upper : null;
}

export function currencyExponent(currency: string): number {
  return NON_TWO_DIGIT_EXPONENTS.get(currency) ?? 2;
}

/** Largest amount we store: fits a SQLite INTEGER and a JS safe integer with room for sums. */
export const MAX_MINOR = 10n ** 15n;

/** An exact decimal: value = units / 10^scale. */
export interface Decimal { units: bigint; scale: number }

export class MoneyParseError extends Error {}

/**
 * Parses "59.00", "59", "-1.5", 59.5 or "1e3" exactly. Numbers are read through
 * their shortest round-trip string, which is the literal the sender wrote for
 * any value with up to 15 significant digits.
 */
export function parseDecimal(input: string | number): Decimal {
  let text: string;
  if (typeof input === "number") {
    if (!Number.isFinite(input)) throw new MoneyParseError("must be a finite number");
    text = String(input);
  } else {
    text = input.trim();
  }
  const m = /^([+-])?(\d+)?(?:\.(\d*))?(?:[eE]([+-]?\d{1,3}))?$/.exec(text);
  if (!m || (m[2] === undefined && !m[3])) throw new MoneyParseError("must be a decimal number like 99.00");
  const [, sign, intPart = "", fracPart = "", expPart] = m;
  let units = BigInt((intPart + fracPart) || "0");
  let scale = fracPart.length - (expPart ? Number(expPart) : 0);
  if (scale < 0) { units *= 10n ** BigInt(-scale); scale = 0; }
  if (scale > 40) throw new MoneyParseError("has too many decimal places");
  return { units: sign === "-" ? -units : units, scale };
}

/** Divides and rounds to nearest, ties away from zero. The one rounding rule. */
export function divRound(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new RangeError("division by zero");
  if (denominator < 0n) { numerator = -numerator; denominator = -denominator; }
  const negative = numerator < 0n;
  const abs = negative ? -numerator : numerator;
  const q = (abs * 2n + denominator) / (denominator * 2n);
  return negative ? -q : q;
}

/** A decimal in major units -> minor units of `currency`, rounded by the rule. */
export function decimalToMinor(d: Decimal, currency: string): bigint {
  const exp = currencyExponent(currency);
  const shift = exp - d.scale;
  if (shift >= 0) return d.units * 10n ** BigInt(shift);
  return divRound(d.units, 10n ** BigInt(-shift));
}

/** Parses an amount to minor units; throws MoneyParseError with a reason. */
export function parseMoneyToMinor(input: string | number, currency: string, opts: { allowNegative?: boolean } = {}): number {
  const minor = decimalToMinor(parseDecimal(input), currency);
  if (minor < 0n && !opts.allowNegative) throw new MoneyParseError("must not be negative");
  if (minor > MAX_MINOR || minor < -MAX_MINOR) throw new MoneyParseError("is too large");
  return Number(minor);
}

/** A percentage like "7.5" or 12.25 -> basis points (max two decimals, 0..100%). */
export function parsePercentToBps(input: string | number): number {
  const d = parseDecimal(input);
  if (d.scale > 2 && d.units % 10n ** BigInt(d.scale - 2) !== 0n) {
    throw new MoneyParseError("allows at most two decimal places");
  }
  const bps = d.scale >= 2 ? d.units / 10n ** BigInt(d.scale - 2) : d.units * 10n ** BigInt(2 - d.scale);
  if (bps < 0n || bps > 10000n) throw new MoneyParseError("must be between 0 and 100");
  return Number(bps);
}

/** amount x bps / 10000, rounded by the rule. */
export function applyBps(amountMinor: number, bps: number): number {
  return Number(divRound(BigInt(amountMinor) * BigInt(bps), 10000n));
}

/**
 * Converts minor units of `from` into minor units of `to` at `rate`
 * (1 `from` = rate `to`, an exact decimal string), rounded by the rule.
 */
export function convertMinor(amountMinor: number, from: string, to: string, rate: string): number {
  const r = parseDecimal(rate);
  const expShift = currencyExponent(to) - currencyExponent(from);
  let num = BigInt(amountMinor) * r.units;
  let den = 10n ** BigInt(r.scale);
  if (expShift >= 0) num *= 10n ** BigInt(expShift);
  else den *= 10n ** BigInt(-expShift);
  const out = divRound(num, den);
  if (out > MAX_MINOR || out < -MAX_MINOR) throw new MoneyParseError("is too large after conversion");
  return Number(out);
}

/** Minor units -> "1234.50" for display and JSON. Exact, no float. */
export function formatMinor(amountMinor: number, currency: string): string {
  const exp = currencyExponent(currency);
  const negative = amountMinor < 0;
  const digits = Math.abs(amountMinor).toString().padStart(exp + 1, "0");
  const whole = exp === 0 ? digits : digits.slice(0, -exp);
  const frac = exp === 0 ? "" : "." + digits.slice(-exp);
  return (negative ? "-" : "") + whole + frac;
}

/** A positive exact decimal rate string, normalised ("0.920000" -> "0.92"). */
export function normalizeRate(input: string | number): string {
  const d = parseDecimal(input);
  if (d.units <= 0n) throw new MoneyParseError("must be greater than zero");
  if (d.scale > 12) throw new MoneyParseError("allows at most 12 decimal places");
  let s = d.units.toString().padStart(d.scale + 1, "0");
  if (d.scale > 0) s = s.slice(0, -d.scale) + "." + s.slice(-d.scale);
  return s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s;
}

/** Basis points -> "7.5" (percent, no trailing zeros). */
export function formatBps(bps: number): string {
  const whole = Math.trunc(bps / 100);
  const frac = Math.abs(bps % 100).toString().padStart(2, "0").replace(/0+$/, "");
  return frac ? `${whole}.${frac}` : `${whole}`;
}
