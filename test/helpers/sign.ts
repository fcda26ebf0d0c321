import { createHmac } from "node:crypto";

export const hmacBase64 = (secret: string, body: string | Uint8Array) => createHmac("sha256", secret).update(body).digest("base64");
export const hmacHex = (secret: string, body: string | Uint8Array) => createHmac("sha256", secret).update(body).digest("hex");
export const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
