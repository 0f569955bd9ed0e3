import { generateKeyPairSync } from "node:crypto";
import { mintSessionToken, type MintOptions } from "@/lib/dev-auth";
import { APP_URL } from "./api";

// Session tokens that must not authenticate: each is refused by clerkMiddleware (401 on /api, sign-in
// redirect on pages). A valid one for the same user is the control.

const foreignKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString("base64url");

/** Valid in every claim but the ones `o` changes (azp: the app under test's origin). */
const mint = (o: MintOptions) => mintSessionToken({ plan: "team", ...o, claims: { azp: new URL(APP_URL).origin, ...o.claims } });

/** RS256 header swapped for alg "none", signature dropped, claims valid. */
function algNone(userId: string): string {
  const [, payload] = mint({ userId }).split(".");
  return `${b64({ alg: "none", typ: "JWT" })}.${payload}.`;
}

export function badTokens(userId: string): Record<string, string | null> {
  const now = Math.floor(Date.now() / 1000);
  return {
    "no token": null,
    expired: mint({ userId, now: now - 7200, ttlSeconds: 600 }),
    "not yet valid": mint({ userId, now: now + 3600 }),
    "foreign key": mint({ userId, privateKey: foreignKey }),
    "alg none": algNone(userId),
    "wrong iss": mint({ userId, claims: { iss: "https://clerk.evil.example" } }),
    "no iss": mint({ userId, claims: { iss: undefined } }),
    "wrong azp": mint({ userId, claims: { azp: "https://evil.example" } }),
    "no azp": mint({ userId, claims: { azp: undefined } }),
    garbage: "not.a.jwt",
  };
}
