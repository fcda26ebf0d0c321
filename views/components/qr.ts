import * as QRCode from "qrcode";
import { html, raw, type SafeHtml } from "../html";

/**
 * A QR code of `text` as inline SVG, rendered on the server. The markup is
 * the library's own (paths only; the text is not embedded in it), so it is
 * trusted; the label is escaped.
 */
export async function qrCode(text: string, label: string): Promise<SafeHtml> {
  const svg = await QRCode.toString(text, { type: "svg", margin: 2, errorCorrectionLevel: "M" });
  return html`<figure class="qr" role="img" aria-label="${label}">${raw(svg)}</figure>`;
}
