/**
 * argon2id password hashes as PHC strings ($argon2id$v=19$m=65536,t=2,p=1$...).
 * Bun.password on Bun (and in the compiled binary); @node-rs/argon2 elsewhere
 * (Deno). Both use the same parameters and verify each other's hashes.
 */
export const ARGON2 = { memoryCost: 65_536, timeCost: 2, parallelism: 1 } as const;
export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 200;

type BunPassword = {
  hash(p: string, o: { algorithm: "argon2id"; memoryCost: number; timeCost: number }): Promise<string>;
  verify(p: string, h: string): Promise<boolean>;
};
const bunPassword = (globalThis as { Bun?: { password: BunPassword } }).Bun?.password;

export async function hashPassword(password: string): Promise<string> {
  if (bunPassword) return bunPassword.hash(password, { algorithm: "argon2id", memoryCost: ARGON2.memoryCost, timeCost: ARGON2.timeCost });
  const argon2 = await import("@node-rs/argon2");
  return argon2.hash(password, { algorithm: 2 /* Argon2id */, ...ARGON2 });
}

export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  if (!hash.startsWith("$argon2id$")) return false;
  try {
    if (bunPassword) return await bunPassword.verify(password, hash);
    const argon2 = await import("@node-rs/argon2");
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/**
 * A hash of a random password: verified against when the email is unknown
 * or has no password yet, so a miss costs the same time as a wrong password.
 */
let decoy: Promise<string> | null = null;
export function decoyHash(): Promise<string> {
  return (decoy ??= hashPassword(crypto.randomUUID()));
}
