// The token bucket math of the rate limits, and the connector factory: Demo faults, real connectors for HubSpot and Salesforce.
import { afterEach, describe, expect, test, vi } from "vitest";
import { crmClientFor, type ConnectionRef } from "@/lib/crm/client";
import { resetEnvCache } from "@/lib/env";
import { spend, type Bucket } from "@/lib/rate-limit";

describe("token bucket math (spend)", () => {
  const limit = { limit: 3, windowMs: 60_000 };
  const take = (b: Bucket | null, at: number) => spend(b, limit, at);

  test("allows the limit, then refuses with the wait until one token is back", () => {
    const t0 = 1_000_000;
    let bucket: Bucket | null = null;
    for (let i = 0; i < 3; i++) {
      const r = take(bucket, t0);
      expect(r.result.allowed).toBe(true);
      bucket = r.bucket;
    }
    const refused = take(bucket, t0);
    expect(refused.result).toEqual({ allowed: false, remaining: 0, retryAfterMs: 20_000 });
    expect(take(refused.bucket, t0 + 20_000).result.allowed).toBe(true);
  });

  test("a refused take spends nothing, and a bucket never holds more than the limit", () => {
    const empty = { tokens: 0.5, at: 0 };
    expect(take(empty, 0).bucket).toEqual(empty);
    expect(take({ tokens: 0, at: 0 }, 10 * 60_000).result.remaining).toBe(2);
  });
});

describe("crmClientFor", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    resetEnvCache();
  });
  const demo = (instanceUrl: string, id = "conn_1"): ConnectionRef => ({ id, ownerId: "o", provider: "DEMO", instanceUrl, status: "ACTIVE" });
  const withFaults = (on: boolean) => {
    vi.stubEnv("DEMO_CRM_FAULTS", on ? "1" : "0");
    resetEnvCache();
  };

  test("Demo faults are ignored unless DEMO_CRM_FAULTS is on", async () => {
    withFaults(false);
    await expect(crmClientFor(demo("demo://?size=5&fail=auth_expired")).fetchOpenDeals()).resolves.toHaveLength(5);
  });

  describe("Demo latency", () => {
    afterEach(() => {
      vi.useRealTimers();
    });
    /** Whether a fetch from a connection with a minute of latency settles before any timer fires. */
    const settlesWithoutWaiting = async (instanceUrl: string) => {
      vi.useFakeTimers();
      let settled = false;
      const pending = crmClientFor(demo(instanceUrl)).fetchOpenDeals();
      pending.then(() => (settled = true), () => (settled = true));
      await vi.advanceTimersByTimeAsync(0);
      const done = settled;
      await vi.advanceTimersByTimeAsync(60_000); // let a honoured latency finish
      await pending.catch(() => undefined);
      return done;
    };

    test("is ignored unless DEMO_CRM_FAULTS is on, with or without faults", async () => {
      withFaults(false);
      expect(await settlesWithoutWaiting("demo://?size=5&latency_ms=60000")).toBe(true);
      expect(await settlesWithoutWaiting("demo://?size=5&latency_ms=60000&fail=auth_expired")).toBe(true);
    });

    test("is honoured when DEMO_CRM_FAULTS is on, alone and alongside faults", async () => {
      withFaults(true);
      expect(await settlesWithoutWaiting("demo://?size=5&latency_ms=60000")).toBe(false);
      expect(await settlesWithoutWaiting("demo://?size=5&latency_ms=60000&fail=server_error@1")).toBe(false);
    });
  });

  test("a fault kind@N counts calls over the connection's life, so a retry with a new client succeeds", async () => {
    withFaults(true);
    const conn = demo("demo://?size=5&fail=server_error@1", "conn_flaky");
    await expect(crmClientFor(conn).fetchOpenDeals()).rejects.toMatchObject({ code: "crm_unavailable", retryable: true });
    await expect(crmClientFor(conn).fetchOpenDeals()).resolves.toHaveLength(5);
  });

  test("HubSpot and Salesforce connections get their real connectors (built without any network call)", () => {
    for (const provider of ["HUBSPOT", "SALESFORCE"] as const) {
      const client = crmClientFor({ id: "c", ownerId: "o", provider, instanceUrl: null, status: "ACTIVE" });
      expect(typeof client.fetchOpenDeals).toBe("function");
      expect(client).toHaveProperty("countOpenDeals");
    }
  });

  test("an expired connection fails as crm_auth_expired", () => {
    expect(() => crmClientFor({ ...demo("demo://"), status: "EXPIRED" })).toThrow(expect.objectContaining({ code: "crm_auth_expired", retryable: false }));
  });
});
