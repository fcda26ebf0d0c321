/** Copy-paste code for a brand's server: POST /api/conv with its program id (never a real key). */
export interface SnippetInput { publicUrl: string; programId: string; clickParam: string; currency: string }

export const KEY_PLACEHOLDER = "lc_live_YOUR_KEY";

export function convSnippets(s: SnippetInput): { id: string; label: string; code: string }[] {
  const url = `${s.publicUrl}/api/conv`;
  const json = `{"program_id":"${s.programId}","brand_order_ref":"ORDER-1001","order_value":"99.00","order_currency":"${s.currency}","${s.clickParam}":"CLICK_ID_FROM_LANDING_URL"}`;
  return [
    { id: "snippet-curl", label: "curl", code: `curl -s ${url} \\
  -H "Authorization: Bearer ${KEY_PLACEHOLDER}" \\
  -H "Content-Type: application/json" \\
  -d '${json}'` },
    { id: "snippet-node", label: "Node.js (18+)", code: `// Call after the order is paid. clickId: the ${s.clickParam} value saved from the landing URL.
const res = await fetch("${url}", {
  method: "POST",
  headers: { "Authorization": "Bearer " + process.env.LASTCLICK_KEY, "Content-Type": "application/json" }, // ${KEY_PLACEHOLDER}
  body: JSON.stringify({
    program_id: "${s.programId}",
    brand_order_ref: order.id,          // your order number: a resend is answered "duplicate"
    order_value: order.total,           // e.g. "99.00" (a string keeps it exact)
    order_currency: "${s.currency}",
    ${s.clickParam}: clickId,
  }),
});
const body = await res.json();         // {status: "created" | "duplicate", conversion: {...}}
if (!res.ok) console.error("Lastclick", res.status, body.error);` },
    { id: "snippet-php", label: "PHP", code: `<?php
// Call after the order is paid. $clickId: the ${s.clickParam} value saved from the landing URL.
$ch = curl_init("${url}");
curl_setopt_array($ch, [
  CURLOPT_POST => true,
  CURLOPT_RETURNTRANSFER => true,
  CURLOPT_HTTPHEADER => ["Authorization: Bearer " . getenv("LASTCLICK_KEY"), "Content-Type: application/json"], // ${KEY_PLACEHOLDER}
  CURLOPT_POSTFIELDS => json_encode([
    "program_id" => "${s.programId}",
    "brand_order_ref" => $order->id,
    "order_value" => number_format($order->total, 2, ".", ""),
    "order_currency" => "${s.currency}",
    "${s.clickParam}" => $clickId,
  ]),
]);
$body = json_decode(curl_exec($ch), true);
$status = curl_getinfo($ch, CURLINFO_HTTP_CODE);
if ($status >= 300) error_log("Lastclick $status " . json_encode($body["error"]));` },
    { id: "snippet-python", label: "Python 3", code: `# Call after the order is paid. click_id: the ${s.clickParam} value saved from the landing URL.
import json, os, urllib.request

req = urllib.request.Request(
    "${url}",
    data=json.dumps({
        "program_id": "${s.programId}",
        "brand_order_ref": order_id,
        "order_value": "99.00",
        "order_currency": "${s.currency}",
        "${s.clickParam}": click_id,
    }).encode(),
    headers={"Authorization": "Bearer " + os.environ["LASTCLICK_KEY"],  # ${KEY_PLACEHOLDER}
             "Content-Type": "application/json"},
)
with urllib.request.urlopen(req, timeout=10) as res:
    print(json.load(res)["status"])  # "created" or "duplicate"` },
  ];
}

/** WooCommerce: keep the click id from the landing URL on the order (read back as _lc_click). */
export function wooClickSnippet(clickParam: string): string {
  return `// functions.php (or a small plugin): remember the click id, store it on the order.
add_action('init', function () {
  if (!empty($_GET['${clickParam}'])) {
    setcookie('${clickParam}', sanitize_text_field($_GET['${clickParam}']), time() + 30 * DAY_IN_SECONDS, '/');
  }
});
add_action('woocommerce_checkout_create_order', function ($order) {
  if (!empty($_COOKIE['${clickParam}'])) {
    $order->update_meta_data('_lc_click', sanitize_text_field($_COOKIE['${clickParam}']));
  }
});`;
}
