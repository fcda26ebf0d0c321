import { html } from "../html";
import { publicPage } from "../layouts/page";

export function homePage(publicUrl: string): string {
  return publicPage("Lastclick", html`<h1>Lastclick is running</h1>
<p>This is a self-hosted affiliate network. Tracking links live under <code>${publicUrl}/go/…</code>;
brands report conversions to <code>POST ${publicUrl}/api/conv</code>.</p>
<p>Automate everything through the management API: <a href="/api/openapi.json">OpenAPI document</a>.
Admin tokens come from <code>lastclick token create --name NAME</code>.</p>
<p class="credit">IP geolocation by <a href="https://db-ip.com">DB-IP</a> (CC BY 4.0).</p>`);
}
