import type { USER_ROLES } from "../db/schema";

export type Role = (typeof USER_ROLES)[number];
export interface NavLink { href: string; label: string }

/**
 * The console navigation per role. Page engineers: add your page's link here
 * when the page lands (only pages that exist are listed). Intended order:
 * admin  Overview, Conversions, Programs, Publishers, Brands, Applications, Integrations, Inbox, Users, Settings
 * brand  Overview, Conversions, Programs, Integrations, API keys, Invoices
 * publisher Overview, Earnings, Programs, Links, Stats, Payouts, Settings
 * A link is "current" on its own path and the paths below it (/admin/users/...),
 * an overview only on its own path.
 */
export const NAV: Record<Role, NavLink[]> = {
  admin: [
    { href: "/admin", label: "Overview" },
    { href: "/admin/conversions", label: "Conversions" },
    { href: "/admin/programs", label: "Programs" }, { href: "/admin/publishers", label: "Publishers" }, { href: "/admin/brands", label: "Brands" }, { href: "/admin/applications", label: "Applications" }, { href: "/admin/links", label: "Links" }, { href: "/admin/fx-rates", label: "FX rates" },
    { href: "/admin/users", label: "Users" },
    { href: "/admin/integrations", label: "Integrations" },
    { href: "/admin/inbox", label: "Inbox" },
    { href: "/admin/postbacks", label: "Postbacks" },
    { href: "/admin/keys", label: "API keys" },
    { href: "/admin/tokens", label: "Tokens" },
    { href: "/admin/smart-links", label: "Smart links" },
    { href: "/admin/settlement", label: "Settlement" }, { href: "/admin/payouts", label: "Payouts" }, { href: "/admin/invoices", label: "Invoices" }, { href: "/admin/reconciliation", label: "Reconciliation" },
    { href: "/admin/audit", label: "Audit log" },
    { href: "/admin/settings", label: "Settings" },
  ],
  brand: [
    { href: "/dashboard/brand", label: "Overview" },
    { href: "/dashboard/brand/conversions", label: "Conversions" },
    { href: "/dashboard/brand/programs", label: "Programs" },
    { href: "/dashboard/brand/integrations", label: "Integrations" },
    { href: "/dashboard/brand/keys", label: "API keys" },
    { href: "/dashboard/brand/invoices", label: "Invoices" },
  ],
  publisher: [
    { href: "/dashboard/publisher", label: "Overview" },
    { href: "/dashboard/publisher/earnings", label: "Earnings" },
    { href: "/dashboard/publisher/programs", label: "Programs" }, { href: "/dashboard/publisher/links", label: "Links" },
    { href: "/dashboard/publisher/smart-links", label: "Smart links" },
    { href: "/dashboard/publisher/stats", label: "Stats" },
    { href: "/dashboard/publisher/payouts", label: "Payouts" },
    { href: "/dashboard/publisher/postbacks", label: "Postbacks" },
    { href: "/dashboard/publisher/settings", label: "Settings" },
  ],
};

/** Where a role lands after signing in. */
export const HOME: Record<Role, string> = { admin: "/admin", brand: "/dashboard/brand", publisher: "/dashboard/publisher" };

export function isCurrent(link: NavLink, path: string): boolean {
  if (Object.values(HOME).includes(link.href)) return path === link.href;
  return path === link.href || path.startsWith(link.href + "/");
}

/** `next=` after login: only a same-origin relative path (no //host, no scheme, no backslash tricks). */
export function safeNext(next: string | null | undefined): string | null {
  if (!next || next.length > 1000) return null;
  if (!next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\") || /[\\\u0000-\u001f]/.test(next)) return null;
  try {
    const u = new URL(next, "http://x.invalid");
    if (u.origin !== "http://x.invalid") return null;
    return u.pathname + u.search + u.hash;
  } catch {
    return null;
  }
}
