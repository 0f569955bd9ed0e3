import { afterEach, describe, expect, it, vi } from "vitest";
import {
  DEMO_RETRY_AFTER_MS,
  createDemoClient,
  generateDemoDeals,
  isoFromMs,
  parseDemoInstanceUrl,
  type DemoFaultKind,
} from "@/lib/crm/demo";
import { CrmError, type CrmErrorCode } from "@/lib/crm/types";
import { analyzeDeals } from "@/lib/reviews/analyze";
import { DEFAULT_RULE_SETTINGS } from "@/lib/reviews/types";

const NOW = new Date("2026-06-01T12:00:00.000Z");
const HUBSPOT_OPEN_STAGES = ["appointmentscheduled", "qualifiedtobuy", "presentationscheduled", "decisionmakerboughtin", "contractsent"];

async function rejection(p: Promise<unknown>): Promise<CrmError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(CrmError);
    return err as CrmError;
  }
  throw new Error("expected the promise to reject");
}

describe("generateDemoDeals", () => {
  it("is deterministic for a seed and now, and differs across seeds", () => {
    const a = generateDemoDeals({ seed: 7, size: 200, now: NOW });
    expect(generateDemoDeals({ seed: 7, size: 200, now: NOW })).toEqual(a);
    expect(generateDemoDeals({ seed: 8, size: 200, now: NOW })).not.toEqual(a);
  });

  it("honours size (default 120) and a smaller size is a prefix of a larger one", () => {
    expect(generateDemoDeals({ now: NOW })).toHaveLength(120);
    expect(generateDemoDeals({ size: 0, now: NOW })).toEqual([]);
    const big = generateDemoDeals({ seed: 3, size: 500, now: NOW });
    expect(big).toHaveLength(500);
    expect(generateDemoDeals({ seed: 3, size: 50, now: NOW })).toEqual(big.slice(0, 50));
  });

  it("produces realistic, internally consistent deals", () => {
    const deals = generateDemoDeals({ seed: 42, size: 2_000, now: NOW });
    const nowMs = NOW.getTime();
    expect(new Set(deals.map((d) => d.id)).size).toBe(deals.length);
    // Collect violations instead of asserting per deal: 2,000 x 8 expects is slow.
    const bad = deals.filter((d) => {
      const created = Date.parse(d.createdAt);
      return (
        !d.name.includes(" — ") ||
        (d.amount !== null && (d.amount < 2_000 || d.amount > 500_000)) ||
        !HUBSPOT_OPEN_STAGES.includes(d.stage) ||
        !/^\d{4}-\d{2}-\d{2}$/.test(d.closeDate ?? "") ||
        !(created <= nowMs) ||
        (d.lastActivityAt !== null && Date.parse(d.lastActivityAt) < created) ||
        (d.stageEnteredAt !== null && Date.parse(d.stageEnteredAt) < created - 1000)
      );
    });
    expect(bad).toEqual([]);
    const share = (pred: (d: (typeof deals)[number]) => boolean) => deals.filter(pred).length / deals.length;
    expect(share((d) => d.amount === null)).toBeGreaterThan(0.01);
    expect(share((d) => d.owner === null)).toBeGreaterThan(0.01);
    expect(share((d) => d.closeDatePushes >= 2)).toBeGreaterThan(0.03);
    expect(share((d) => d.closeDate! < "2026-06-01")).toBeGreaterThan(0.03);
  });

  it("yields a health score in the 60-85 range for typical seeds", () => {
    for (let seed = 1; seed <= 10; seed++) {
      const r = analyzeDeals(generateDemoDeals({ seed, now: NOW }), DEFAULT_RULE_SETTINGS, NOW);
      expect(r.healthScore).toBeGreaterThanOrEqual(60);
      expect(r.healthScore).toBeLessThanOrEqual(85);
    }
  });

  it("formats timestamps exactly like toISOString", () => {
    for (let i = 0; i < 2_000; i++) {
      const ms = Math.floor((NOW.getTime() - i * 9_876_543_210) / 1000) * 1000;
      expect(isoFromMs(ms)).toBe(new Date(ms).toISOString());
    }
  });
});

describe("createDemoClient", () => {
  it("fetches every deal page by page, one call per page", async () => {
    const client = createDemoClient({ seed: 5, size: 250, pageSize: 100, now: NOW });
    const deals = await client.fetchOpenDeals();
    expect(deals).toEqual(generateDemoDeals({ seed: 5, size: 250, now: NOW }));
    expect(client.callCount).toBe(3);

    const exact = createDemoClient({ size: 200, pageSize: 100, now: NOW });
    expect(await exact.fetchOpenDeals()).toHaveLength(200);
    expect(exact.callCount).toBe(2);

    const empty = createDemoClient({ size: 0, now: NOW });
    expect(await empty.fetchOpenDeals()).toEqual([]);
    expect(empty.callCount).toBe(1);
  });

  const cases: Array<[DemoFaultKind, CrmErrorCode, boolean]> = [
    ["auth_expired", "crm_auth_expired", false],
    ["rate_limited", "crm_rate_limited", true],
    ["server_error", "crm_unavailable", true],
    ["timeout", "crm_timeout", true],
  ];
  for (const [kind, code, retryable] of cases) {
    it(`fault ${kind} on call 2 throws ${code}; other calls succeed`, async () => {
      const client = createDemoClient({ size: 250, pageSize: 100, now: NOW, faults: [{ kind, onCall: 2 }] });
      const err = await rejection(client.fetchOpenDeals({ signal: AbortSignal.timeout(5) }));
      expect(err.code).toBe(code);
      expect(err.retryable).toBe(retryable);
      expect(err.retryAfterMs).toBe(kind === "rate_limited" ? DEMO_RETRY_AFTER_MS : undefined);
      expect(client.callCount).toBe(2); // call 1 succeeded, call 2 failed, no call 3
      // Calls 3-5 are not faulted, so a retry on the same client completes.
      expect(await client.fetchOpenDeals()).toHaveLength(250);
      expect(client.callCount).toBe(5);
    });
  }

  it("a fault without onCall fails every call", async () => {
    const client = createDemoClient({ now: NOW, faults: [{ kind: "server_error" }] });
    for (let i = 0; i < 3; i++) expect((await rejection(client.fetchOpenDeals())).code).toBe("crm_unavailable");
  });

  it("a fault pinned to a call wins over an every-call fault", async () => {
    const client = createDemoClient({ now: NOW, faults: [{ kind: "server_error" }, { kind: "auth_expired", onCall: 2 }] });
    expect((await rejection(client.fetchOpenDeals())).code).toBe("crm_unavailable");
    expect((await rejection(client.fetchOpenDeals())).code).toBe("crm_auth_expired");
  });

  it("timeout fails quickly, with or without a signal, and honours an early abort", async () => {
    const started = Date.now();
    const noSignal = createDemoClient({ now: NOW, faults: [{ kind: "timeout" }] });
    expect((await rejection(noSignal.fetchOpenDeals())).code).toBe("crm_timeout");
    const ctrl = new AbortController();
    const hung = createDemoClient({ now: NOW, faults: [{ kind: "timeout" }], timeoutDelayMs: 10_000 });
    const pending = hung.fetchOpenDeals({ signal: ctrl.signal });
    setTimeout(() => ctrl.abort(), 5);
    expect((await rejection(pending)).code).toBe("crm_timeout");
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("an already-aborted signal fails with crm_timeout", async () => {
    const client = createDemoClient({ now: NOW });
    expect((await rejection(client.fetchOpenDeals({ signal: AbortSignal.abort() }))).code).toBe("crm_timeout");
  });

  describe("latencyMs", () => {
    afterEach(() => {
      vi.useRealTimers();
    });
    /** Starts a fetch and reports whether it has settled, under fake timers. */
    const track = (p: Promise<unknown>) => {
      const state = { settled: false };
      p.then(() => (state.settled = true), () => (state.settled = true));
      return state;
    };

    it("delays every page fetch by latencyMs", async () => {
      vi.useFakeTimers();
      const client = createDemoClient({ size: 250, pageSize: 100, now: NOW, latencyMs: 1_000 });
      const pending = client.fetchOpenDeals();
      const state = track(pending);
      await vi.advanceTimersByTimeAsync(2_999); // three pages: not done before the third wait ends
      expect(state.settled).toBe(false);
      expect(client.callCount).toBe(3);
      await vi.advanceTimersByTimeAsync(1);
      expect(await pending).toHaveLength(250);
    });

    it("an abort during the wait fails with crm_timeout without waiting it out", async () => {
      vi.useFakeTimers();
      const ctrl = new AbortController();
      const client = createDemoClient({ now: NOW, latencyMs: 60_000 });
      const pending = client.fetchOpenDeals({ signal: ctrl.signal });
      const state = track(pending);
      await vi.advanceTimersByTimeAsync(10);
      expect(state.settled).toBe(false);
      ctrl.abort();
      expect((await rejection(pending)).code).toBe("crm_timeout");
    });
  });
});

describe("parseDemoInstanceUrl", () => {
  it("reads seed, size and faults", () => {
    expect(parseDemoInstanceUrl("demo://?seed=7&size=500&fail=rate_limited@1,server_error")).toEqual({
      seed: 7,
      size: 500,
      faults: [{ kind: "rate_limited", onCall: 1 }, { kind: "server_error" }],
    });
  });

  it("reads pageSize and now", () => {
    expect(parseDemoInstanceUrl("demo://acme?pageSize=25&now=2026-01-15T00:00:00Z")).toEqual({
      pageSize: 25,
      now: new Date("2026-01-15T00:00:00Z"),
    });
  });

  it("returns {} for empty input and ignores malformed values", () => {
    expect(parseDemoInstanceUrl(null)).toEqual({});
    expect(parseDemoInstanceUrl(undefined)).toEqual({});
    expect(parseDemoInstanceUrl("")).toEqual({});
    expect(parseDemoInstanceUrl("demo://")).toEqual({});
    expect(
      parseDemoInstanceUrl("demo://?seed=abc&size=-5&pageSize=0&now=nope&fail=explode,timeout@0,timeout@x,auth_expired@3"),
    ).toEqual({ faults: [{ kind: "auth_expired", onCall: 3 }] });
  });

  it("reads latency_ms (capped at a minute) and ignores a negative or malformed one", () => {
    expect(parseDemoInstanceUrl("demo://?latency_ms=2500")).toEqual({ latencyMs: 2500 });
    expect(parseDemoInstanceUrl("demo://?latency_ms=0")).toEqual({ latencyMs: 0 });
    expect(parseDemoInstanceUrl("demo://?latency_ms=999999999")).toEqual({ latencyMs: 60_000 });
    expect(parseDemoInstanceUrl("demo://?latency_ms=-1")).toEqual({});
    expect(parseDemoInstanceUrl("demo://?latency_ms=1.5s")).toEqual({});
  });

  it("feeds createDemoClient", async () => {
    const client = createDemoClient({ ...parseDemoInstanceUrl("demo://?seed=9&size=30&fail=rate_limited@1"), now: NOW });
    expect((await rejection(client.fetchOpenDeals())).code).toBe("crm_rate_limited");
    expect(await client.fetchOpenDeals()).toEqual(generateDemoDeals({ seed: 9, size: 30, now: NOW }));
  });
});
