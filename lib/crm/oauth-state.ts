import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { decrypt, encrypt } from "@/lib/crypto";
import { systemDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { OAuthProvider } from "./providers";

// The OAuth `state`: sealed with AES-256-GCM (lib/crypto.ts), so it carries the tenant, provider,
// expiry and PKCE verifier without a row per click, and nobody can read or forge it. A callback
// spends its nonce in OAuthStateUse, which makes each state one-time across app instances.

export const STATE_TTL_MS = 10 * 60_000;

const payloadSchema = z.object({
  n: z.string(), // nonce
  o: z.string(), // ownerId
  p: z.enum(["hubspot", "salesforce"]),
  e: z.number(), // expires at (epoch ms)
  v: z.string().optional(), // PKCE code_verifier
  l: z.string().optional(), // Salesforce login host
  k: z.enum(["production", "sandbox", "my_domain"]).optional(), // which one the user picked
  c: z.string().optional(), // connection being reconnected
  m: z.string().optional(), // name for the new connection
});
export type StatePayload = z.infer<typeof payloadSchema>;

export function newPkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(48).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

export function sealState(fields: Omit<StatePayload, "n" | "e">, now = Date.now()): string {
  const payload: StatePayload = { ...fields, n: randomBytes(16).toString("base64url"), e: now + STATE_TTL_MS };
  return encrypt(JSON.stringify(payload)).replaceAll(":", ".");
}

const invalid = (why: string) => new AppError("oauth_state_invalid", `This connect link is not valid (${why}); start again from the CRM page`);

/**
 * Opens a state for `ownerId` at the provider's callback and spends it. Refused: unreadable,
 * another tenant's or provider's, expired, or already used.
 */
export async function consumeState(state: string, ownerId: string, provider: OAuthProvider, now = new Date()): Promise<StatePayload> {
  let payload: StatePayload;
  try {
    payload = payloadSchema.parse(JSON.parse(decrypt(state.replaceAll(".", ":"))));
  } catch {
    throw invalid("unreadable state");
  }
  if (payload.o !== ownerId) throw invalid("it was started by another account");
  if (payload.p !== provider) throw invalid("it was started for another CRM");
  if (payload.e <= now.getTime()) throw invalid("it expired; connect links last 10 minutes");
  const db = systemDb();
  await db.oAuthStateUse.deleteMany({ where: { expiresAt: { lt: now } } });
  const { count } = await db.oAuthStateUse.createMany({ data: [{ nonce: payload.n, expiresAt: new Date(payload.e) }], skipDuplicates: true });
  if (count === 0) throw invalid("it was already used");
  return payload;
}
