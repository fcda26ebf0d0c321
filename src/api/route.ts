import type { z } from "zod";
import type { Actor } from "../auth/authenticate";
import type { AppContext } from "../context";

export type AuthKind = "admin" | "brand" | "none";
export type Method = "get" | "post" | "put" | "patch" | "delete";

export interface HandlerArgs<B, Q> {
  ctx: AppContext;
  actor: Actor;
  params: Record<string, string>;
  body: B;
  query: Q;
  request: Request;
}

/**
 * One API route: the single description used both to mount it on Elysia and
 * to write /api/openapi.json, so the documentation cannot drift.
 */
export interface ApiRoute<B extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType> {
  method: Method;
  /** OpenAPI style: /api/admin/brands/{id} */
  path: string;
  auth: AuthKind;
  summary: string;
  tag: string;
  body?: B;
  query?: Q;
  /** Success status: 201 where the route creates, else 200 (the default). */
  status?: number;
  /** What the success answer is, for the OpenAPI document ("OK" unless said). */
  responds?: string;
  /** Media type of the success answer when it is a file, not JSON (e.g. "text/csv", "application/pdf"). */
  produces?: string;
  /** Other success statuses the handler can answer with via `answer()`, documented beside `status`. */
  alsoAnswers?: Record<number, string>;
  /** Intake endpoint: every request is kept in the postback inbox under this provider label. */
  inbox?: string;
  /** Extra documented error statuses beyond the defaults for the auth kind. */
  errors?: number[];
  handler: (args: HandlerArgs<z.infer<B>, z.infer<Q>>) => Promise<unknown> | unknown;
}

export function route<B extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType>(r: ApiRoute<B, Q>): ApiRoute {
  return r as unknown as ApiRoute;
}

/** A handler's answer with a status other than its route's success status (e.g. 200 when an idempotent create found its row). */
export class Answer {
  constructor(readonly status: number, readonly body: unknown) {}
}
export const answer = (status: number, body: unknown) => new Answer(status, body);
