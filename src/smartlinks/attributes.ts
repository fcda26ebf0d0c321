import { z } from "zod";

/**
 * Program attributes and smart-link criteria share one shape: slug keys with
 * a value or a list of values, normalised to lists (lower-case; countries
 * ISO 3166 alpha-2 upper-case). `country`/`device` are accepted as aliases of
 * `countries`/`devices`.
 */
export type Attributes = Record<string, string[]>;

export const DEVICES = ["desktop", "mobile", "tablet"] as const;
export type Device = (typeof DEVICES)[number];
/** Attributes that restrict where a program can send a visitor; absent means "anywhere". */
export const VISITOR_KEYS = ["countries", "devices"] as const;

const ALIASES: Record<string, string> = { country: "countries", device: "devices" };
const KEY_RE = /^[a-z][a-z0-9_]{0,31}$/;
const value = z.string().trim().min(1, "must not be empty").max(100);
const values = z.union([value, z.array(value).min(1, "give at least one value").max(300)]);

function normalise(raw: Record<string, string | string[]>, ctx: z.RefinementCtx): Attributes {
  const out: Attributes = {};
  for (const [rawKey, v] of Object.entries(raw)) {
    const key = ALIASES[rawKey] ?? rawKey;
    if (!KEY_RE.test(key)) { ctx.addIssue({ code: "custom", path: [rawKey], message: "keys are lower-case slugs (a-z, 0-9, _), up to 32 characters" }); continue; }
    if (key in out) { ctx.addIssue({ code: "custom", path: [rawKey], message: `"${key}" is given twice` }); continue; }
    const list = (Array.isArray(v) ? v : [v]).map((s) => (key === "countries" ? s.toUpperCase() : s.toLowerCase()));
    if (key === "countries") {
      const bad = list.filter((c) => !/^[A-Z]{2}$/.test(c));
      if (bad.length) ctx.addIssue({ code: "custom", path: [rawKey], message: `not ISO 3166 country codes: ${bad.join(", ")}` });
    }
    if (key === "devices") {
      const bad = list.filter((d) => !(DEVICES as readonly string[]).includes(d));
      if (bad.length) ctx.addIssue({ code: "custom", path: [rawKey], message: `devices are ${DEVICES.join(", ")}; not: ${bad.join(", ")}` });
    }
    out[key] = [...new Set(list)].sort();
  }
  return out;
}

export const attributesSchema = z.record(z.string().max(64), values)
  .refine((o) => Object.keys(o).length <= 20, "at most 20 attributes")
  .transform(normalise);

export function parseAttributes(json: string | null | undefined): Attributes {
  return json ? (JSON.parse(json) as Attributes) : {};
}
