import type { ProviderName, RawRequest } from "../providers/types";
import { isPing } from "../providers/woocommerce";

const has = (req: RawRequest, name: string) => (req.headers[name] ?? "").trim() !== "";

/**
 * Whether a webhook request carries anything that could authenticate it for
 * this provider. One that carries nothing is refused before any integration
 * is looked at, so its cost does not grow with the number of integrations.
 * (Presence only: the adapters' verify still decides.)
 */
const PRESENCE: Record<ProviderName, (req: RawRequest) => boolean> = {
  refersion: (req) => has(req, "refersion-signature") || has(req, "x-rfc-signature"),
  shopify: (req) => has(req, "x-shopify-hmac-sha256"),
  woocommerce: (req) => has(req, "x-wc-webhook-signature") || isPing(req),
  impact: (req) => has(req, "authorization") || (req.query.get("token") ?? "") !== "",
  generic: (req) => has(req, "x-lastclick-secret"),
  // Everflow's credential is the caller's address, checked per integration (cheap, no secret).
  everflow: () => true,
};

export function carriesCredential(provider: ProviderName, req: RawRequest): boolean {
  return PRESENCE[provider](req);
}

/**
 * Providers whose check holds no secret work (an address against a list): a
 * source past its failure budget may still be matched across all of them.
 */
export function cheapToSearch(provider: ProviderName): boolean {
  return provider === "everflow";
}
