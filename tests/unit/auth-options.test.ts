// The options proxy.ts gives clerkMiddleware: the key, issuer and authorized parties every token is verified
// with, and nothing of them in what clerkMiddleware serialises into the per-request header (JSON).
import { describe, expect, it } from "vitest";
import { tokenVerificationOptions } from "@/lib/auth";
import { env, resetEnvCache } from "@/lib/env";

const PEM = "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAtest\n-----END PUBLIC KEY-----";
process.env.CLERK_JWT_KEY = PEM;
resetEnvCache();

describe("tokenVerificationOptions", () => {
  it("carries the verification key and the app's origin as the authorized party", () => {
    const o = tokenVerificationOptions();
    expect(o.jwtKey).toBe(PEM);
    expect(o.authorizedParties).toEqual([new URL(env().APP_URL).origin]);
    // clerkMiddleware spreads the options ({ ...options }) before authenticating: the key survives that
    expect({ ...o }.jwtKey).toBe(o.jwtKey);
  });

  it("serialises to nothing: the key is not encrypted into a header on every request", () => {
    const o = tokenVerificationOptions();
    expect(JSON.stringify(o)).toBe("{}");
    expect(JSON.stringify({ ...o, machineAuthObject: undefined })).toBe("{}"); // as Clerk builds the header's payload
  });

  it("is built once per environment read", () => {
    expect(tokenVerificationOptions()).toBe(tokenVerificationOptions());
    const before = tokenVerificationOptions();
    resetEnvCache();
    expect(tokenVerificationOptions()).not.toBe(before);
  });
});
