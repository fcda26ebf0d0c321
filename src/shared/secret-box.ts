import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from "node:crypto";

/**
 * Seals secrets that must be read back in clear (HMAC keys of platform
 * webhooks, publisher signing keys) with AES-256-GCM. The key never lives in
 * the database: it comes from SECRETS_KEY or a 0600 file beside the database,
 * so a leaked database alone does not reveal them.
 */
export class SecretBox {
  private key: Buffer;
  constructor(keyMaterial: string) {
    this.key = createHash("sha256").update(keyMaterial).digest();
  }
  /** A keyed MAC for signed links (purpose-separated so one MAC cannot stand in for another). */
  mac(purpose: string, data: string): string {
    return createHmac("sha256", this.key).update(`${purpose}\n${data}`).digest("base64url");
  }
  seal(plain: string): string {
    const iv = randomBytes(12);
    const c = createCipheriv("aes-256-gcm", this.key, iv);
    const body = Buffer.concat([c.update(plain, "utf8"), c.final()]);
    return `v1.${iv.toString("base64url")}.${Buffer.concat([body, c.getAuthTag()]).toString("base64url")}`;
  }
  open(sealed: string): string {
    const [v, ivText, dataText] = sealed.split(".");
    if (v !== "v1" || !ivText || !dataText) throw new Error("unknown sealed secret format");
    const data = Buffer.from(dataText, "base64url");
    const d = createDecipheriv("aes-256-gcm", this.key, Buffer.from(ivText, "base64url"));
    d.setAuthTag(data.subarray(data.length - 16));
    return Buffer.concat([d.update(data.subarray(0, data.length - 16)), d.final()]).toString("utf8");
  }
}
