import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { mintSessionToken } from "@/lib/dev-auth";
import { api } from "../support/api";

describe("API authentication (Clerk middleware verifying tokens offline)", () => {
  it("answers 401 JSON, not a redirect, without a token", async () => {
    const res = await api("GET", "/api/me", null);
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(res.body).toEqual({ error: { code: "unauthorized", message: expect.any(String) } });
  });

  it("rejects an expired token", async () => {
    const expired = mintSessionToken({ userId: "user_a", now: Math.floor(Date.now() / 1000) - 7200, ttlSeconds: 60 });
    const res = await api("GET", "/api/me", expired);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe("unauthorized");
  });

  it("rejects a token signed by another key", async () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const forged = mintSessionToken({ userId: "user_a", privateKey: privateKey.export({ type: "pkcs8", format: "pem" }).toString() });
    const res = await api("GET", "/api/me", forged);
    expect(res.status).toBe(401);
  });

  it("rejects a tampered token", async () => {
    const [h, , s] = mintSessionToken({ userId: "user_a" }).split(".");
    const payload = Buffer.from(JSON.stringify({ sub: "user_admin", exp: 9999999999 })).toString("base64url");
    expect((await api("GET", "/api/me", `${h}.${payload}.${s}`)).status).toBe(401);
  });

  it("a valid token for user A reaches the handler as tenant A", async () => {
    const res = await api("GET", "/api/me", { userId: "user_a", plan: "business" });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ owner_id: "user_a", user_id: "user_a", org_id: null, plan: "business", role: "admin" }); // a personal workspace's owner is its admin
  });

  it("with an org claim the tenant is the organization", async () => {
    const res = await api("GET", "/api/me", { userId: "user_a", orgId: "org_acme" });
    expect(res.body).toMatchObject({ owner_id: "org_acme", user_id: "user_a", org_id: "org_acme", plan: "team" });
  });

  it("an unknown plan claim falls back to free", async () => {
    const token = mintSessionToken({ userId: "user_b", plan: "enterprise" as never });
    expect((await api("GET", "/api/me", token)).body.plan).toBe("free");
  });
});

describe("token claims beyond the signature (issue #11, defect 8)", () => {
  it.each([
    ["another issuer", { iss: "https://clerk.evil.example" }],
    ["no issuer", { iss: undefined }],
    ["another authorized party", { azp: "https://evil.example" }],
  ])("a token signed by the trusted key but with %s is refused", async (_, claims) => {
    const res = await api("GET", "/api/me", mintSessionToken({ userId: "user_a", claims }));
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe("unauthorized");
  });
});

describe("browser navigation to /api with an expired session cookie (defect 6)", () => {
  it("answers 401 JSON, never a redirect to Clerk's handshake carrying the token", async () => {
    const expired = mintSessionToken({ userId: "user_a", now: Math.floor(Date.now() / 1000) - 7200, ttlSeconds: 60 });
    const iat = Math.floor(Date.now() / 1000) - 7200;
    const res = await api("GET", "/api/me", null, undefined, {
      cookie: `__session=${expired}; __client_uat=${iat}`,
      "sec-fetch-dest": "document",
      "sec-fetch-mode": "navigate",
      accept: "text/html,application/xhtml+xml",
    });
    expect(res.status).toBe(401);
    expect(res.headers.get("location")).toBeNull();
    expect(res.body.error.code).toBe("unauthorized");
    expect(JSON.stringify(res.body)).not.toContain(expired);
  });
});
