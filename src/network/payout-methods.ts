import { z } from "zod";

/** ABA routing numbers carry a mod-10 checksum with weights 3,7,1. */
function abaValid(r: string): boolean {
  if (!/^\d{9}$/.test(r)) return false;
  const d = r.split("").map(Number);
  const sum = 3 * (d[0]! + d[3]! + d[6]!) + 7 * (d[1]! + d[4]! + d[7]!) + (d[2]! + d[5]! + d[8]!);
  return sum % 10 === 0;
}

/** IBAN mod-97 check. */
function ibanValid(raw: string): boolean {
  const iban = raw.replace(/\s+/g, "").toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(iban)) return false;
  const moved = iban.slice(4) + iban.slice(0, 4);
  const digits = moved.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let rem = 0;
  for (const ch of digits) rem = (rem * 10 + Number(ch)) % 97;
  return rem === 1;
}

const email = z.email().max(254);
const holder = z.string().trim().min(2).max(140);

export const PAYOUT_METHODS = ["ACH", "Wise", "PayPal", "USDT", "WeChat Pay", "Zelle"] as const;
export type PayoutMethod = (typeof PAYOUT_METHODS)[number];

/** Method-specific payout details, validated per method. */
export const payoutDetailsByMethod: Record<PayoutMethod, z.ZodType> = {
  ACH: z.strictObject({
    account_holder: holder,
    routing_number: z.string().refine(abaValid, "must be a valid 9-digit ABA routing number"),
    account_number: z.string().regex(/^\d{4,17}$/, "must be 4 to 17 digits"),
    account_type: z.enum(["checking", "savings"]),
  }),
  Wise: z.union([
    z.strictObject({ email, currency: z.string().regex(/^[A-Z]{3}$/).optional() }),
    z.strictObject({ account_holder: holder, iban: z.string().refine(ibanValid, "must be a valid IBAN") }),
  ], { error: "Wise needs {email} or {account_holder, iban}" }),
  PayPal: z.strictObject({ email }),
  USDT: z.discriminatedUnion("network", [
    z.strictObject({ network: z.literal("TRC20"), address: z.string().regex(/^T[1-9A-HJ-NP-Za-km-z]{33}$/, "must be a TRON (TRC20) address") }),
    z.strictObject({ network: z.literal("ERC20"), address: z.string().regex(/^0x[0-9a-fA-F]{40}$/, "must be an Ethereum (ERC20) address") }),
  ], { error: "network must be TRC20 or ERC20" }),
  "WeChat Pay": z.strictObject({ wechat_id: z.string().regex(/^[A-Za-z][-_A-Za-z0-9]{5,19}$/, "must be a WeChat ID (6-20 characters, starting with a letter)"), real_name: holder }),
  Zelle: z.union([
    z.strictObject({ email, account_holder: holder }),
    z.strictObject({ phone: z.string().regex(/^\+1\d{10}$/, "must be a US phone number like +15551234567"), account_holder: holder }),
  ], { error: "Zelle needs {account_holder} and an {email} or {phone}" }),
};
