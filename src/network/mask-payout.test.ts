import { expect, test } from "bun:test";
import { maskPayout } from "./mask-payout";

test.each([
  ["ACH", { account_holder: "Ann Lee", routing_number: "021000021", account_number: "123456789", account_type: "checking" }, "ACH checking ••••6789", "123456789"],
  ["Wise", { account_holder: "Ann Lee", iban: "DE89 3704 0044 0532 0130 00" }, "Wise IBAN ••••3000", "DE89"],
  ["Wise", { email: "ann@wise.example" }, "Wise a•••@wise.example", "ann@"],
  ["PayPal", { email: "payouts@blog.example" }, "PayPal p•••@blog.example", "payouts@"],
  ["USDT", { network: "ERC20", address: "0x52908400098527886E0F7030069857D2E4169EE7" }, "USDT ERC20 ••••169EE7", "0x5290"],
  ["WeChat Pay", { wechat_id: "annlee_88", real_name: "Ann Lee" }, "WeChat Pay an••••", "annlee"],
  ["Zelle", { phone: "+15551234567", account_holder: "Ann Lee" }, "Zelle ••••4567", "555123"],
] as const)("%s is shown masked", (method, details, shown, secret) => {
  const out = maskPayout(method, details);
  expect(out).toBe(shown);
  expect(out).not.toContain(secret);
});

test("no method", () => expect(maskPayout(null, null)).toBe("not set"));
