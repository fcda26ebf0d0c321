import { describe, expect, test } from "bun:test";
import {
  applyBps, convertMinor, currencyExponent, divRound, formatBps, formatMinor, MAX_MINOR, MoneyParseError, normalizeCurrency,
  normalizeRate, parseMoneyToMinor, parsePercentToBps,
} from "./money";

describe("divRound: the one rounding rule (nearest, ties away from zero)", () => {
  test.each([
    ["exact", 10n, 2n, 5n],
    ["below half rounds down", 14n, 10n, 1n],
    ["half rounds up", 15n, 10n, 2n],
    ["above half rounds up", 16n, 10n, 2n],
    ["negative half rounds away from zero", -15n, 10n, -2n],
    ["negative below half", -14n, 10n, -1n],
    ["zero", 0n, 7n, 0n],
    ["negative denominator", 15n, -10n, -2n],
  ])("%s: %p / %p = %p", (_name, n, d, q) => {
    expect(divRound(n as bigint, d as bigint)).toBe(q as bigint);
  });
  test("division by zero throws", () => expect(() => divRound(1n, 0n)).toThrow());
});

describe("parseMoneyToMinor: exact decimal parsing", () => {
  test.each([
    ["string with cents", "99.00", "USD", 9900],
    ["number", 99, "USD", 9900],
    ["number with cents (no float drift)", 0.29, "USD", 29],
    ["classic float trap 1.005 rounds half up to 1.01", "1.005", "USD", 101],
    ["0.005 rounds to 0.01", "0.005", "USD", 1],
    ["0.0049 rounds to 0.00", "0.0049", "USD", 0],
    ["trailing zeros beyond exponent", "59.000", "USD", 5900],
    ["leading plus", "+5", "USD", 500],
    ["no integer part", ".5", "USD", 50],
    ["zero", "0", "USD", 0],
    ["JPY has no minor unit", "1234", "JPY", 1234],
    ["JPY rounds half up", "1234.5", "JPY", 1235],
    ["KWD has 3 decimals", "1.234", "KWD", 1234],
    ["exponent notation", "1.5e2", "USD", 15000],
    ["whitespace trimmed", " 12.30 ", "USD", 1230],
    ["huge but allowed", "9999999999999.99", "USD", 999999999999999],
  ])("%s: %p %s -> %p", (_name, input, cur, minor) => {
    expect(parseMoneyToMinor(input as string | number, cur as string)).toBe(minor as number);
  });

  test.each([
    ["letters", "abc"], ["empty", ""], ["comma decimal", "12,50"], ["two dots", "1.2.3"],
    ["negative", "-1.00"], ["too large", "100000000000000"], ["NaN", Number.NaN], ["Infinity", Number.POSITIVE_INFINITY],
    ["only a dot", "."], ["hex", "0x10"],
  ])("rejects %s (%p)", (_name, input) => {
    expect(() => parseMoneyToMinor(input as string | number, "USD")).toThrow(MoneyParseError);
  });

  test("largest stored amount fits a JS safe integer", () => {
    expect(Number(MAX_MINOR) < Number.MAX_SAFE_INTEGER).toBe(true);
  });
});

describe("percentages and basis points", () => {
  test.each([["10", 1000], ["7.5", 750], ["12.25", 1225], [0, 0], ["100", 10000], ["7.50", 750], ["7.500", 750]])(
    "%p%% -> %p bps", (input, bps) => expect(parsePercentToBps(input as string)).toBe(bps as number));
  test.each([["7.555"], ["-1"], ["100.01"], ["x"]])("rejects %p", (input) => expect(() => parsePercentToBps(input)).toThrow(MoneyParseError));
  test("applyBps rounds once with the rule", () => {
    expect(applyBps(9999, 1000)).toBe(1000); // 999.9 -> 1000
    expect(applyBps(5, 1000)).toBe(1); // 0.5 -> 1
    expect(applyBps(4, 1000)).toBe(0); // 0.4 -> 0
    expect(applyBps(0, 2000)).toBe(0);
  });
  test("formatBps", () => {
    expect(formatBps(750)).toBe("7.5");
    expect(formatBps(2000)).toBe("20");
    expect(formatBps(1225)).toBe("12.25");
    expect(formatBps(5)).toBe("0.05");
  });
});

describe("currency", () => {
  test("normalizes lower case and rejects unknown codes", () => {
    expect(normalizeCurrency("usd")).toBe("USD");
    expect(normalizeCurrency(" eur ")).toBe("EUR");
    expect(normalizeCurrency("XYZ")).toBeNull();
    expect(normalizeCurrency("US")).toBeNull();
    expect(normalizeCurrency("")).toBeNull();
  });
  test("conversion across exponents, rounded once", () => {
    expect(convertMinor(10000, "EUR", "USD", "1.08")).toBe(10800);
    expect(convertMinor(1000, "USD", "JPY", "151.235")).toBe(1512); // 10.00 USD -> 1512.35 -> 1512 JPY
    expect(convertMinor(1513, "JPY", "USD", "0.0066")).toBe(999); // 1513 * 0.0066 = 9.9858 USD
    expect(convertMinor(1, "EUR", "USD", "0.5")).toBe(1); // 0.005 -> 0.01
  });
  test("formatMinor", () => {
    expect(formatMinor(9900, "USD")).toBe("99.00");
    expect(formatMinor(5, "USD")).toBe("0.05");
    expect(formatMinor(-1234, "USD")).toBe("-12.34");
    expect(formatMinor(1234, "JPY")).toBe("1234");
    expect(formatMinor(1234, "KWD")).toBe("1.234");
  });
  test("the exponent table answers only for its own codes, never for Object members", () => {
    expect([currencyExponent("JPY"), currencyExponent("KWD"), currencyExponent("USD")]).toEqual([0, 3, 2]);
    for (const word of ["constructor", "__proto__", "toString", "hasOwnProperty"]) expect(currencyExponent(word)).toBe(2);
    for (const word of ["constructor", "toString", "__proto__"]) expect(normalizeCurrency(word)).toBeNull();
  });
  test("normalizeRate", () => {
    expect(normalizeRate("1.0800")).toBe("1.08");
    expect(normalizeRate(2)).toBe("2");
    expect(() => normalizeRate("0")).toThrow(MoneyParseError);
    expect(() => normalizeRate("-1")).toThrow(MoneyParseError);
  });
});
