/** The closed set of domain errors; mapped to HTTP in one place (app.ts onError). */
export type FieldErrors = Record<string, string[]>;

export class AppError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly fields?: FieldErrors) {
    super(message);
  }
}
export class BadRequest extends AppError { constructor(m: string, f?: FieldErrors) { super(400, "bad_request", m, f); } }
export class Unauthorized extends AppError { constructor() { super(401, "unauthorized", "Missing or invalid credentials"); } }
export class Forbidden extends AppError { constructor(m = "Not allowed") { super(403, "forbidden", m); } }
export class NotFound extends AppError { constructor(m = "Not found") { super(404, "not_found", m); } }
export class Conflict extends AppError { constructor(m: string) { super(409, "conflict", m); } }
export class Gone extends AppError { constructor(m: string) { super(410, "gone", m); } }
export class PayloadTooLarge extends AppError { constructor(limit: number) { super(413, "payload_too_large", `Body exceeds ${limit} bytes`); } }
export class Validation extends AppError {
  constructor(fields: FieldErrors, message = "Invalid request") { super(422, "validation_failed", message, fields); }
}

/** The JSON error body every API answer uses. */
export function errorBody(e: AppError) {
  return { error: { code: e.code, message: e.message, ...(e.fields ? { fields: e.fields } : {}) } };
}
