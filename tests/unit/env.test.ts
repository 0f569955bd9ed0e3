import { describe, expect, it } from "vitest";
import keys from "@/lib/dev-identity.json" with { type: "json" };
import { parseEnv } from "@/lib/env";

const prod = {
  NODE_ENV: "production",
  APP_URL: "https://revwatch.example.com",
  DATABASE_URL: "postgresql://u@db:5432/revwatch",
  ENCRYPTION_KEY: "a".repeat(64),
  NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY: "pk_live_abc",
  CLERK_SECRET_KEY: "sk_live_abc",
  INNGEST_SIGNING_KEY: "signkey-prod-abc",
  INNGEST_EVENT_KEY: "evt",
};

describe("env", () => {
  it("accepts a complete production environment", () => {
    expect(parseEnv(prod).DATABASE_URL).toBe(prod.DATABASE_URL);
  });

  it.each(["APP_URL", "DATABASE_URL", "ENCRYPTION_KEY", "CLERK_SECRET_KEY", "INNGEST_SIGNING_KEY"])("production without %s names it", (name) => {
    const source: Record<string, string | undefined> = { ...prod, [name]: undefined };
    expect(() => parseEnv(source)).toThrow(new RegExp(`${name}: required in production`));
  });

  it("names a malformed var", () => {
    expect(() => parseEnv({ ...prod, ENCRYPTION_KEY: "short" })).toThrow(/ENCRYPTION_KEY: must be 64 hex/);
    expect(() => parseEnv({ ...prod, DATABASE_URL: "not a url" })).toThrow(/DATABASE_URL/);
  });

  it("refuses test-only switches in production, in every spelling", () => {
    expect(() => parseEnv({ ...prod, ALLOW_LOOPBACK_DELIVERY: "1" })).toThrow(/test-only/);
    expect(() => parseEnv({ ...prod, ALLOW_LOOPBACK_DELIVERY: "true" })).toThrow(/test-only/);
    expect(() => parseEnv({ ...prod, DEMO_CRM_FAULTS: "true" })).toThrow(/test-only/);
  });

  it("refuses the committed development identity and key in production", () => {
    expect(() => parseEnv({ ...prod, CLERK_JWT_KEY: keys.jwtPublicKey })).toThrow(/CLERK_JWT_KEY: the development value/);
    expect(() => parseEnv({ ...prod, NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY: keys.publishableKey })).toThrow(/development value/);
    expect(() => parseEnv({ ...prod, CLERK_SECRET_KEY: keys.secretKey })).toThrow(/development value/);
    const devKey = parseEnv({ NODE_ENV: "development" }).ENCRYPTION_KEY;
    expect(() => parseEnv({ ...prod, ENCRYPTION_KEY: devKey })).toThrow(/ENCRYPTION_KEY: the development value/);
  });

  it("development needs nothing and gets a local encryption key", () => {
    const e = parseEnv({ NODE_ENV: "development" });
    expect(e.ENCRYPTION_KEY).toMatch(/^[0-9a-f]{64}$/);
    expect(e.APP_URL).toBe("http://localhost:3000");
  });
});
