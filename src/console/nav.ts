import type { USER_ROLES } from "../db/schema";

export type Role = (typeof USER_ROLES)[number];
export interface NavLink { href: string; label: string; /** A heading the link is listed under (consecutive links share it). */ group?: string }

/**
 * The console navigation per role (only pages that exist are listed). The
 * layout shows it as a side nav on a wide screen and a "Menu" disclosure on a
 * phone; the admin's links are grouped under headings so ~20 links stay
 * scannable. A link is "current" on its own path and the paths below it
 * (/admin/users/...), an overview only on its own path.
 */
export const NAV: Record<Role, NavLink[]> = {
  admin: [
    { href: "/admin", label: "Overview" },
    { href: "/admin/conversions", label: "Conversions" },
    { href: "/admin/programs", label: "Programs", group: "Network" },
    { href: "/admin/publishers", label: "Publishers", group: "Network" },
    { href: "/admin/brands", label: "Brands", group: "Network" },
    { href: "/admin/applications", label: "Applications", group: "Network" },
    { href: "/admin/links", label: "Links", group: "Network" },
    { href: "/admin/fx-rates", label: "FX rates", group: "Network" },
    { href: "/admin/integrations", label: "Integrations", group: "Tracking & API" },
    { href: "/admin/inbox", label: "Inbox", group: "Tracking & API" },
    { href: "/admin/postbacks", label: "Postbacks", group: "Tracking & API" },
    { href: "/admin/keys", label: "API keys", group: "Tracking & API" },
    { href: "/admin/tokens", label: "Tokens", group: "Tracking & API" },
    { href: "/admin/smart-links", label: "Smart links", group: "Tracking & API" },
    { href: "/admin/settlement", label: "Settlement", group: "Money" },
    { href: "/admin/payouts", label: "Payouts", group: "Money" },
    { href: "/admin/invoices", label: "Invoices", group: "Money" },
    { href: "/admin/reconciliation", label: "Reconciliation", group: "Money" },
    { href: "/admin/users", label: "Users", group: "Administration" },
    { href: "/admin/audit", label: "Audit log", group: "Administration" },
    { href: "/admin/settings", label: "Settings", group: "Administration" },
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
    { href: "/dashboard/publisher/programs", label: "Programs" },
    { href: "/dashboard/publisher/links", label: "Links" },
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
