import { generateKeyPairSync } from "node:crypto";
import { mintSessionToken } from "@/lib/dev-auth";

// Session tokens that must not authenticate: each is refused by clerkMiddleware (401 on /api, sign-in
// redirect on pages). A valid one for the same user is the control.

const foreignKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString("base64url");

/** RS256 header swapped for alg "none", signature dropped, claims valid. */
function algNone(userId: string): string {
  const [, payload] = mintSessionToken({ userId, plan: "team" }).split(".");
  return `${b64({ alg: "none", typ: "JWT" })}.${payload}.`;
}

export function badTokens(userId: string): Record<string, string | null> {
  const now = Math.floor(Date.now() / 1000);
  return {
    "no token": null,
    expired: mintSessionToken({ userId, plan: "team", now: now - 7200, ttlSeconds: 600 }),
    "not yet valid": mintSessionToken({ userId, plan: "team", now: now + 3600 }),
    "foreign key": mintSessionToken({ userId, plan: "team", privateKey: foreignKey }),
    "alg none": algNone(userId),
    "wrong iss": mintSessionToken({ userId, plan: "team", claims: { iss: "https://clerk.evil.example" } }),
    "no iss": mintSessionToken({ userId, plan: "team", claims: { iss: undefined } }),
    "wrong azp": mintSessionToken({ userId, plan: "team", claims: { azp: "https://evil.example" } }),
    "no azp": mintSessionToken({ userId, plan: "team", claims: { azp: undefined } }),
    garbage: "not.a.jwt",
  };
}
