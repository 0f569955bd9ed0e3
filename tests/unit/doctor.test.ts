// npm run doctor's checks with injected facts: environment per feature (secrets never shown),
// migrations, executor, backlog, heartbeat, coverage, and the report's verdict and exit status.
import { describe, expect, test } from "vitest";
import { checkBacklog, checkExecutor, checkMigrations, checkScheduler } from "@/lib/monitoring/doctor-checks";
import { formatReport, runDoctor, type DoctorDeps } from "@/lib/monitoring/doctor";
import { envChecklist, maskSecret } from "@/lib/monitoring/env-checklist";

const NOW = new Date("2026-06-10T12:00:00.000Z");
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const MIN = 60_000;
const FNS = ["revwatch-dispatch-due-reviews", "revwatch-run-review", "revwatch-reconcile-stuck-runs"];
const SECRET = "re_Zq81LongSecretBodyThatMustNeverShow";

const feature = (src: Record<string, string | undefined>, name: string) => envChecklist(src).find((f) => f.feature === name)!;

function deps(over: Partial<DoctorDeps> = {}): DoctorDeps {
  return {
    env: { INNGEST_DEV: "1", DATABASE_URL: "postgresql://app:hunter2pass@db.internal:5432/revwatch" },
    now: NOW,
    scope: "all tenants",
    appUrl: "http://localhost:3600",
    embeddedDb: false,
    tz: { version: "2026f", source: "moment-timezone@0.6.6" },
    shippedTzNames: "2026f",
    expectedFunctions: FNS,
    database: async () => ({ where: "db.internal:5432", version: "17.2" }),
    migrations: async () => [{ name: "20261125194735_init", finishedAt: ago(MIN), rolledBackAt: null }],
    migrationsOnDisk: () => ["20261125194735_init"],
    executor: async () => ({ mode: "dev", url: "http://127.0.0.1:8788", reachable: true, kind: "local-executor", functions: FNS }),
    backlog: async () => ({ queued: 2, oldestQueuedAt: ago(30_000) }),
    heartbeat: async () => ({ running: true, lastTick: { startedAt: ago(20_000), outcome: "SUCCESS", durationMs: 900 }, lastSuccessAt: ago(20_000), consecutiveFailures: 0 }),
    coverage: async () => ({ coverage_pct: 100, status: "HEALTHY", expected: 24, completed: 24, missing_count: 0 }),
    ...over,
  };
}

describe("environment checklist", () => {
  test("development with nothing set: every feature works on its defaults, email goes to the outbox, the CRMs are off", () => {
    const list = envChecklist({});
    expect(list.filter((f) => f.status === "fail")).toEqual([]);
    expect(feature({}, "Email (Resend)")).toMatchObject({ status: "off", summary: expect.stringContaining("dev outbox") });
    expect(feature({}, "HubSpot").status).toBe("off");
    expect(feature({}, "Clerk").summary).toContain("development identity");
  });

  test("a secret is shown by its public prefix and length only; a connection string without its password", () => {
    const src = { RESEND_API_KEY: SECRET, CLERK_SECRET_KEY: "sk_live_AbCdEf0123456789", DATABASE_URL: "postgresql://app:hunter2pass@db:5432/x" };
    const text = JSON.stringify(envChecklist(src));
    expect(text).not.toContain("Zq81LongSecret");
    expect(text).not.toContain("AbCdEf0123456789");
    expect(text).not.toContain("hunter2pass");
    expect(feature(src, "Email (Resend)").vars.find((v) => v.name === "RESEND_API_KEY")).toEqual({ name: "RESEND_API_KEY", state: "set", shown: `re_•••• (${SECRET.length} chars)` });
    expect(maskSecret("signkey-prod-0123abcd")).toBe("signkey-prod-•••• (21 chars)");
  });

  test("malformed values fail their feature and say why (still masked)", () => {
    const src = { RESEND_API_KEY: "key_ThisIsNotAResendKey", INNGEST_BASE_URL: "not a url", SALESFORCE_LOGIN_URL: "login.salesforce" };
    const email = feature(src, "Email (Resend)");
    expect(email.status).toBe("fail");
    expect(email.vars[0]).toMatchObject({ state: "malformed", shown: "key_•••• (23 chars)", problem: expect.any(String) });
    expect(feature(src, "Inngest").vars.find((v) => v.name === "INNGEST_BASE_URL")).toMatchObject({ state: "malformed" });
    expect(feature(src, "Salesforce").status).toBe("fail");
  });

  test("production: what it requires is missing, and the development identity is refused", () => {
    const src = { NODE_ENV: "production", APP_URL: "https://app.example.com", DATABASE_URL: "postgresql://db/x" };
    expect(feature(src, "Clerk")).toMatchObject({ status: "fail" });
    expect(feature(src, "Clerk").vars.find((v) => v.name === "CLERK_SECRET_KEY")).toMatchObject({ state: "missing", problem: "required in production" });
    expect(feature(src, "Inngest").vars.find((v) => v.name === "INNGEST_SIGNING_KEY")).toMatchObject({ state: "missing" });
    expect(feature(src, "Email (Resend)")).toMatchObject({ status: "fail", summary: expect.stringContaining("email_not_configured") });
    expect(feature({ ...src, ALLOW_LOOPBACK_DELIVERY: "1" }, "Slack").vars.find((v) => v.name === "ALLOW_LOOPBACK_DELIVERY")).toMatchObject({ state: "malformed" });
  });
});

describe("verdicts", () => {
  test("migrations: pending, failed and unknown ones", () => {
    const done = (name: string) => ({ name, finishedAt: NOW, rolledBackAt: null });
    expect(checkMigrations([done("a")], ["a", "b"])).toMatchObject({ status: "fail", summary: "1 not applied: b", fix: expect.stringContaining("db:migrate") });
    expect(checkMigrations([done("a"), { name: "b", finishedAt: null, rolledBackAt: null }], ["a", "b"])).toMatchObject({ status: "fail", summary: "failed migration b" });
    expect(checkMigrations([done("a"), done("z")], ["a"]).status).toBe("warn");
    expect(checkMigrations([done("a"), done("b")], ["a", "b"])).toMatchObject({ status: "ok", summary: "current (2 applied, latest b)" });
    expect(checkMigrations([], null).status).toBe("skip");
  });

  test("executor: stopped, not synced, synced; cloud keys", () => {
    const stopped = checkExecutor({ mode: "dev", url: "http://127.0.0.1:8788", reachable: false, functions: null, error: "ECONNREFUSED" }, FNS, "http://localhost:3600");
    expect(stopped).toMatchObject({ status: "fail", summary: expect.stringContaining("nothing answers at http://127.0.0.1:8788"), fix: expect.stringContaining("start an executor") });
    const partial = checkExecutor({ mode: "dev", url: "u", reachable: true, kind: "dev-server", functions: FNS.slice(1) }, FNS, "http://localhost:3600");
    expect(partial).toMatchObject({ status: "fail", fix: "sync the app: curl -X PUT http://localhost:3600/api/inngest", details: { missing: [FNS[0]] } });
    expect(checkExecutor({ mode: "dev", url: "u", reachable: true, kind: "local-executor", functions: FNS }, FNS, "x").status).toBe("ok");
    expect(checkExecutor({ mode: "cloud", url: null, signingKey: true, eventKey: false }, FNS, "x")).toMatchObject({ status: "fail", summary: "Inngest Cloud: INNGEST_EVENT_KEY not set" });
  });

  test("backlog: a run queued over 10 minutes needs attention", () => {
    expect(checkBacklog({ queued: 0, oldestQueuedAt: null }, NOW, "all tenants").status).toBe("ok");
    expect(checkBacklog({ queued: 3, oldestQueuedAt: ago(9 * MIN) }, NOW, "all tenants")).toMatchObject({ status: "ok", details: { queued: 3, oldest_queued_age_ms: 9 * MIN } });
    expect(checkBacklog({ queued: 3, oldestQueuedAt: ago(11 * MIN) }, NOW, "all tenants")).toMatchObject({ status: "fail", summary: "3 queued (all tenants), oldest for 11 min" });
  });

  test("scheduler: never ticked, silent for over 2 minutes, failing, healthy", () => {
    const tick = (ms: number) => ({ startedAt: ago(ms), outcome: "SUCCESS" as const, durationMs: 500 });
    expect(checkScheduler({ running: false, lastTick: null, lastSuccessAt: null, consecutiveFailures: 0 }, NOW)).toMatchObject({ status: "fail", summary: "the dispatcher has never ticked" });
    expect(checkScheduler({ running: false, lastTick: tick(3 * MIN), lastSuccessAt: ago(3 * MIN), consecutiveFailures: 0 }, NOW)).toMatchObject({ status: "fail", summary: "not running: last tick 3 min ago" });
    expect(checkScheduler({ running: true, lastTick: tick(MIN), lastSuccessAt: ago(5 * MIN), consecutiveFailures: 2 }, NOW)).toMatchObject({ status: "fail", summary: expect.stringContaining("last 2 tick(s) failed") });
    expect(checkScheduler({ running: true, lastTick: tick(MIN), lastSuccessAt: ago(MIN), consecutiveFailures: 0 }, NOW).status).toBe("ok");
  });
});

describe("the report", () => {
  test("healthy: every check ok, nothing to do", async () => {
    const r = await runDoctor(deps());
    expect(r.status).toBe("healthy");
    expect(r.checks.map((c) => [c.id, c.status])).toEqual([
      ["tz_database", "ok"], ["env", "ok"], ["database", "ok"], ["migrations", "ok"], ["executor", "ok"], ["backlog", "ok"], ["scheduler", "ok"], ["coverage", "ok"],
    ]);
    expect(r.attention).toEqual([]);
    expect(formatReport(r)).toContain("healthy: nothing needs attention");
  });

  test("the executor stopped: needs attention, says what to do; the secret stays hidden", async () => {
    const r = await runDoctor(deps({
      env: { INNGEST_DEV: "1", RESEND_API_KEY: SECRET },
      executor: async () => ({ mode: "dev", url: "http://127.0.0.1:8788", reachable: false, functions: null, error: "ECONNREFUSED" }),
    }));
    expect(r.status).toBe("needs_attention");
    expect(r.attention).toEqual([{ id: "executor", summary: expect.stringContaining("nothing answers"), fix: expect.stringContaining("npm run dev") }]);
    const text = formatReport(r);
    expect(text).toMatch(/FAIL {2}executor/);
    expect(text).toContain("→ start an executor");
    expect(text + JSON.stringify(r)).not.toContain("Zq81LongSecret");
  });

  test("the database down: its dependants are skipped, not failed twice; a probe that throws is a failed check", async () => {
    const down = await runDoctor(deps({ database: async () => ({ where: "db.internal:5432", error: "Can't reach database server" }) }));
    expect(down.checks.filter((c) => c.status === "skip").map((c) => c.id)).toEqual(["migrations", "backlog", "scheduler", "coverage"]);
    expect(down.attention.map((a) => a.id)).toEqual(["database"]);
    const broken = await runDoctor(deps({ heartbeat: async () => Promise.reject(new Error("\nInvalid `prisma.schedulerTick.findFirst()` invocation:\n\nrelation missing")) }));
    expect(broken.checks.find((c) => c.id === "scheduler")).toMatchObject({ status: "fail", summary: "could not check: relation missing" });
  });

  test("coverage: not available until the postcheck is there; below 95 % needs attention", async () => {
    expect((await runDoctor(deps({ coverage: async () => null }))).checks.at(-1)).toMatchObject({ status: "skip", summary: "coverage: not available" });
    const low = await runDoctor(deps({ coverage: async () => ({ coverage_pct: 90, status: "NEEDS_ATTENTION", expected: 20, completed: 18, missing_count: 2 }) }));
    expect(low.attention).toEqual([{ id: "coverage", summary: "90 % (18 of 20 slots completed, 2 missing; all tenants)", fix: expect.stringContaining("repair") }]);
  });
});
