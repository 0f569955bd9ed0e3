// The tenant scoping of lib/db.ts: every model of the Prisma schema is classified (tenant-owned,
// child of a tenant-owned parent, or system), and forTenant rewrites every operation accordingly.
import { beforeAll, describe, expect, it } from "vitest";
import { CHILD_SCOPES, Prisma, SYSTEM_MODELS, TENANT_MODELS, scopeArgs } from "@/lib/db";

const models = Object.values(Prisma.ModelName) as string[];
const fieldsOf = (model: string) => Object.keys((Prisma as unknown as Record<string, Record<string, string>>)[`${model}ScalarFieldEnum`] ?? {});
const tenant = TENANT_MODELS as readonly string[];
const system = SYSTEM_MODELS as readonly string[];
const children = Object.keys(CHILD_SCOPES);

describe("every model of the schema is scoped", () => {
  it.each(models)("%s is classified exactly once, by whether it has ownerId", (model) => {
    expect(fieldsOf(model).length, `${model} has no ScalarFieldEnum`).toBeGreaterThan(0);
    const classes = [tenant.includes(model), children.includes(model), system.includes(model)].filter(Boolean);
    expect(classes, `${model} must be in exactly one of TENANT_MODELS, CHILD_SCOPES, SYSTEM_MODELS (lib/db.ts)`).toHaveLength(1);
    if (fieldsOf(model).includes("ownerId")) expect(tenant, `${model} has ownerId: add it to TENANT_MODELS`).toContain(model);
    else expect(tenant).not.toContain(model);
  });

  it("lists no model the schema does not have", () => {
    for (const m of [...tenant, ...children, ...system]) expect(models).toContain(m);
  });
});

describe("forTenant's rewriting of one operation", () => {
  it("filters reads, counts, updates and deletes by owner, keeping the caller's filter", () => {
    for (const op of ["findMany", "findFirst", "findUnique", "count", "groupBy", "aggregate", "updateMany", "update", "delete", "deleteMany"]) {
      const out = scopeArgs("ReviewRun", op, { where: { id: "r1", AND: { status: "QUEUED" } } }, "org_a");
      expect(out.where, op).toEqual({ id: "r1", AND: [{ status: "QUEUED" }, { ownerId: "org_a" }] });
    }
    expect(scopeArgs("ScheduledReview", "findMany", {}, "org_a").where).toEqual({ AND: [{ ownerId: "org_a" }] });
  });

  it("reaches child rows only through their owned parent", () => {
    expect(scopeArgs("Finding", "findMany", { where: { analysisId: "a1" } }, "org_a").where).toEqual({
      analysisId: "a1",
      AND: [{ analysis: { ownerId: "org_a" } }],
    });
    expect(() => scopeArgs("Finding", "createMany", { data: [] }, "org_a")).toThrow(/created by system jobs only/);
  });

  it("creates rows for the tenant, and refuses rows for another owner", () => {
    expect(scopeArgs("Alert", "create", { data: { title: "x" } }, "org_a").data).toEqual({ title: "x", ownerId: "org_a" });
    expect(scopeArgs("Delivery", "createMany", { data: [{ a: 1 }, { a: 2, ownerId: "org_a" }] }, "org_a").data).toEqual([
      { a: 1, ownerId: "org_a" },
      { a: 2, ownerId: "org_a" },
    ]);
    expect(() => scopeArgs("Monitor", "create", { data: { ownerId: "org_b" } }, "org_a")).toThrow(/another owner/);
    expect(() => scopeArgs("Monitor", "updateMany", { where: {}, data: { ownerId: "org_b" } }, "org_a")).toThrow(/another owner/);
    const upsert = scopeArgs("AlertSettings", "upsert", { where: { ownerId: "org_a" }, create: {}, update: {} }, "org_a");
    expect(upsert).toMatchObject({ create: { ownerId: "org_a" }, where: { AND: [{ ownerId: "org_a" }] } });
  });

  it("refuses system and unknown models", () => {
    expect(() => scopeArgs("SchedulerTick", "findMany", {}, "org_a")).toThrow(/not a tenant model/);
    expect(() => scopeArgs("Nope", "findMany", {}, "org_a")).toThrow(/not a tenant model/);
  });
});

describe("forTenant's clients", () => {
  // Building clients connects to nothing; the URL only has to be there.
  process.env.DATABASE_URL ??= "postgresql://postgres@127.0.0.1:1/unused";
  beforeAll(async () => (await import("@/lib/env")).resetEnvCache());
  it("are kept per tenant (one per owner, not one per call) and rebuilt for a new base client", async () => {
    const { disconnectDb, forTenant } = await import("@/lib/db");
    const a = forTenant("org_cache_a");
    expect(forTenant("org_cache_a")).toBe(a);
    expect(forTenant("org_cache_b")).not.toBe(a);
    await disconnectDb();
    expect(forTenant("org_cache_a")).not.toBe(a);
    await disconnectDb();
  });

  it("keep at most 500 tenants, dropping the least recently used", async () => {
    const { forTenant } = await import("@/lib/db");
    const first = forTenant("org_lru_0");
    const kept = forTenant("org_lru_1");
    for (let i = 2; i <= 500; i++) forTenant(`org_lru_${i}`);
    forTenant("org_lru_1"); // used again: now the newest
    forTenant("org_lru_501"); // one over: the least recently used (org_lru_0) goes
    expect(forTenant("org_lru_1")).toBe(kept);
    expect(forTenant("org_lru_0")).not.toBe(first);
  });
});
