import { DatabaseTooNew } from "../db/migrate";

/** A start that cannot proceed for a reason the operator can fix: one line, exit code 2. */
export class StartupError extends Error {}

/** A database URL fit for a message: a server's credentials never printed. */
export function displayUrl(url: string): string {
  return url.startsWith("file:") ? url : url.replace(/\/\/[^@/]*@/, "//***@").replace(/([?&](authToken|token)=)[^&]*/gi, "$1***");
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, " ").slice(0, 500);
}

/** Wraps a failure to open or migrate the database as a one-line StartupError. */
export function databaseUnavailable(url: string, e: unknown): Error {
  if (e instanceof DatabaseTooNew) return new StartupError(e.message);
  const reason = e instanceof Error ? e.message : String(e);
  return new StartupError(`Cannot open the database ${displayUrl(url)}: ${oneLine(reason)}`);
}
