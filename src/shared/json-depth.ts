/**
 * Nesting limit for JSON from outside. Real payloads (a Shopify order, our own
 * API bodies) nest fewer than ten levels; a body of 30,000 "[" fits under the
 * body cap and would otherwise end in a stack overflow inside JSON.parse (or
 * in the code that walks the result), reported as if it were a syntax error.
 */
export const MAX_JSON_DEPTH = 64;

export class JsonTooDeep extends Error {
  constructor(readonly limit: number) { super(`JSON nested deeper than ${limit} levels`); }
}

/**
 * Throws JsonTooDeep when arrays/objects open more than `max` levels deep.
 * One pass over the text, skipping string contents (with escapes), before
 * anything recursive sees it; says nothing about the rest of the syntax.
 */
export function checkJsonDepth(text: string, max = MAX_JSON_DEPTH): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) throw new JsonTooDeep(max);
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
}
