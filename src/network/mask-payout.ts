/**
 * A payout method as shown in lists: enough to recognise it, never enough to
 * use it (account numbers, IBANs, wallet addresses and contact handles masked).
 */
export function maskPayout(method: string | null, details: Record<string, unknown> | null): string {
  if (!method) return "not set";
  const d = details ?? {};
  const s = (k: string) => (typeof d[k] === "string" ? (d[k] as string) : "");
  const tail = (v: string, n = 4) => (v.length > n ? `••••${v.slice(-n)}` : "••••");
  const email = (v: string) => { const [u, host] = v.split("@"); return host ? `${u!.slice(0, 1)}•••@${host}` : "••••"; };
  switch (method) {
    case "ACH": return `ACH ${s("account_type")} ${tail(s("account_number"))}`.replace(/\s+/g, " ");
    case "Wise": return s("iban") ? `Wise IBAN ${tail(s("iban").replace(/\s+/g, ""))}` : `Wise ${email(s("email"))}`;
    case "PayPal": return `PayPal ${email(s("email"))}`;
    case "USDT": return `USDT ${s("network")} ${tail(s("address"), 6)}`;
    case "WeChat Pay": return `WeChat Pay ${s("wechat_id").slice(0, 2)}••••`;
    case "Zelle": return s("phone") ? `Zelle ${tail(s("phone"))}` : `Zelle ${email(s("email"))}`;
    default: return method;
  }
}
