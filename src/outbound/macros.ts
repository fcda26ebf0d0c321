/**
 * Postback URL macros: `{name}` in a publisher's URL is replaced at send time
 * by the URL-encoded value (empty when unknown, e.g. no sub-id on the click).
 */
export const MACROS = [
  "click_id", "sub1", "sub2", "sub3", "sub4", "sub5",
  "order_ref", "payout", "payout_minor", "currency", "status",
  "program_id", "publisher_id", "conversion_id", "event", "test",
  "delivery_id", "timestamp",
] as const;
export type MacroName = (typeof MACROS)[number];
export type MacroValues = Record<MacroName, string>;

const KNOWN = new Set<string>(MACROS);
const TOKEN = /\{([^{}]*)\}/g;
/** Stands in for every macro when the template is parsed as a URL. */
const PLACEHOLDER = "lcmacro";

/**
 * Problems with a URL template, empty when fine: absolute http(s), only known
 * macros, no stray braces, and no macro in the scheme/host/port (sub-ids come
 * from visitors' links and must never choose where we send).
 */
export function templateProblems(template: string): string[] {
  const problems: string[] = [];
  if (/[\u0000-\u0020\u007f]/.test(template)) problems.push("must not contain spaces or control characters");
  const unknown = [...template.matchAll(TOKEN)].map((m) => m[1]!).filter((name) => !KNOWN.has(name));
  if (unknown.length) problems.push(`unknown macro${unknown.length > 1 ? "s" : ""} ${unknown.map((n) => `{${n}}`).join(", ")}; known: ${MACROS.map((m) => `{${m}}`).join(" ")}`);
  const stripped = template.replace(TOKEN, PLACEHOLDER);
  if (/[{}]/.test(stripped)) problems.push("has an unmatched { or }");
  let url: URL;
  try {
    url = new URL(stripped);
  } catch {
    return [...problems, "must be an absolute http:// or https:// URL"];
  }
  if ((url.protocol !== "http:" && url.protocol !== "https:") || url.hostname === "") {
    problems.push("must be an absolute http:// or https:// URL");
  } else if (!/^https?:\/\//i.test(template)) {
    problems.push("must start with http:// or https://");
  } else if (url.host.includes(PLACEHOLDER)) {
    problems.push("macros are allowed in the path and query, not in the host");
  }
  // fetch() refuses credentials in a URL and browsers read a backslash as "/": refused when saved, not found out at send time.
  if (template.includes("\\")) problems.push("must not contain backslashes");
  if (url.username !== "" || url.password !== "") problems.push("must not carry a user name or password (user:pass@)");
  return problems;
}

/** The template with each macro replaced by its URL-encoded value. */
export function renderUrl(template: string, values: MacroValues): string {
  return template.replace(TOKEN, (whole, name: string) =>
    KNOWN.has(name) ? encodeURIComponent(values[name as MacroName]) : whole);
}
