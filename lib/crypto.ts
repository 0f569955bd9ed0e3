import "server-only";
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { env } from "@/lib/env";

// AES-256-GCM; stored as "v1:<iv>:<tag>:<ciphertext>" (base64url) so the format can evolve.
function key(): Buffer {
  return Buffer.from(env().ENCRYPTION_KEY!, "hex");
}

export function encrypt(plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(), iv);
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v1", iv, cipher.getAuthTag(), data].map((p) => (typeof p === "string" ? p : p.toString("base64url"))).join(":");
}

export function decrypt(stored: string): string {
  const [version, iv, tag, data] = stored.split(":");
  if (version !== "v1" || !iv || !tag || data === undefined) throw new Error("unrecognised ciphertext format");
  const authTag = Buffer.from(tag, "base64url");
  // A short tag would make forgery cheap; GCM here always writes 16 bytes.
  if (authTag.length !== 16) throw new Error("invalid authentication tag");
  const decipher = createDecipheriv("aes-256-gcm", key(), Buffer.from(iv, "base64url"), { authTagLength: 16 });
  decipher.setAuthTag(authTag);
  return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
}

/** Shows enough to recognise a secret, never enough to use it. */
export function maskSecret(value: string, visible = 4): string {
  if (value.length <= visible * 2) return "•".repeat(8);
  return `${value.slice(0, visible)}••••${value.slice(-visible)}`;
}

/** https://hooks.slack.com/services/T000/B000/XXXX -> https://hooks.slack.com/services/T000/••••/••••XXXX */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    const parts = u.pathname.split("/").filter(Boolean);
    const last = parts.pop() ?? "";
    const masked = [...parts.slice(0, 2), ...parts.slice(2).map(() => "••••"), `••••${last.slice(-4)}`];
    return `${u.protocol}//${u.host}/${masked.join("/")}`;
  } catch {
    return maskSecret(url);
  }
}
