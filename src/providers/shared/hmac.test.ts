import { describe, expect, test } from "bun:test";
import { bytes, flipOneByte, sign } from "../fixtures/helpers";
import { decodeSignature, verifyHmac } from "./hmac";

const body = bytes('{"order_id":"1","total":"59.00"}');
const secret = "whsec_test_5f0c8d1e";

describe("decodeSignature", () => {
  test("hex (either case)", () => {
    expect(decodeSignature(sign(body, secret, "hex"))?.length).toBe(32);
    expect(decodeSignature(sign(body, secret, "hex").toUpperCase())?.length).toBe(32);
  });
  test("base64 and url-safe base64", () => {
    const b64 = sign(body, secret);
    expect(decodeSignature(b64)?.equals(Buffer.from(b64, "base64"))).toBe(true);
    expect(decodeSignature(b64.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, ""))?.equals(Buffer.from(b64, "base64"))).toBe(true);
  });
  test.each([["too short", "abcd"], ["not base64", "!!!!"], ["sha1-sized", Buffer.alloc(20).toString("base64")], ["empty", ""]])(
    "rejects %s", (_n, text) => expect(decodeSignature(text as string)).toBeNull(),
  );
});

describe("verifyHmac", () => {
  test.each([
    ["base64 signature", [sign(body, secret)], body, { ok: true }],
    ["hex signature", [sign(body, secret, "hex")], body, { ok: true }],
    ["second header matches", ["bogus", sign(body, secret)], body, { ok: true }],
    ["no header", [null], body, { ok: false, reason: "missing signature" }],
    ["wrong secret", [sign(body, "other")], body, { ok: false, reason: "bad signature" }],
    ["tampered body", [sign(body, secret)], flipOneByte(body), { ok: false, reason: "bad signature" }],
    ["garbage", ["not-a-signature"], body, { ok: false, reason: "bad signature" }],
  ])("%s", (_n, sent, b, expected) => {
    expect(verifyHmac(b as Uint8Array, secret, sent as (string | null)[])).toEqual(expected as never);
  });
  test("no secret configured", () => {
    expect(verifyHmac(body, null, [sign(body, secret)])).toEqual({ ok: false, reason: "no signing secret configured" });
  });
});
