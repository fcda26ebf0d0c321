import { z } from "zod";
import { zodFields } from "../api/body";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "../auth/passwords";
import type { FieldErrors } from "../shared/errors";

export const newPassword = z.string().min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`).max(MAX_PASSWORD_LENGTH, `must be at most ${MAX_PASSWORD_LENGTH} characters`);

/** password + confirm that must match. */
export const passwordPair = z.object({ password: newPassword, confirm: z.string() })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "does not match the password" });

/** Validates a submitted form: the data, or field errors to show next to the fields. */
export function parseForm<S extends z.ZodType>(schema: S, form: URLSearchParams | null): { ok: true; data: z.infer<S> } | { ok: false; errors: FieldErrors } {
  const r = schema.safeParse(Object.fromEntries(form ?? []));
  return r.success ? { ok: true, data: r.data } : { ok: false, errors: zodFields(r.error) };
}

/** Field errors keyed by their top-level field (`events.0` -> events), for forms that show one error block per field. */
export function topFields(fields: FieldErrors): FieldErrors {
  const out: FieldErrors = {};
  for (const [k, v] of Object.entries(fields)) {
    const top = k.split(".")[0]!;
    out[top] = [...(out[top] ?? []), ...v];
  }
  return out;
}
