// Organization roles over HTTP (issue #17), driven by the OpenAPI document so every operation is covered,
// including ones added later: a member gets 200 on every read, 403 forbidden on every operation whose
// OPERATIONS entry says role "admin" (and nothing is written), and is not refused on member-level ones
// (run now, replay, coverage repair). An admin of the same organization is never refused.
import { beforeAll, describe, expect, it } from "vitest";
import { OPERATIONS } from "@/lib/openapi";
import { api } from "../support/api";
import { resetDb } from "../support/db";
import { changedTables, snapshotDb } from "../support/db-snapshot";
import { seedTenant, type SeededTenant } from "../support/tenants";

const ORG = "org_roles";
const ADMIN = { userId: "user_roles_admin", orgId: ORG, orgRole: "admin", plan: "team" } as const;
const MEMBER = { userId: "user_roles_member", orgId: ORG, orgRole: "member", plan: "team" } as const;
/** Clerk spells roles "org:admin" / "org:member": both spellings are read. */
/** Session token v2 may carry the prefixed key in `o.rol`: Clerk's parser then builds orgRole "org:org:admin". */
const ADMIN_PREFIXED = { userId: "user_roles_admin2", orgId: ORG, claims: { o: { id: ORG, rol: "org:admin", slg: "org_roles" } } } as const;
const MEMBER_PREFIXED = { userId: "user_roles_member2", orgId: ORG, claims: { o: { id: ORG, rol: "org:member", slg: "org_roles" } } } as const;

let t: SeededTenant;
const PUBLIC = new Set(OPERATIONS.filter((o) => o.auth === "none").map((o) => `${o.method} ${o.path}`));
const authed = OPERATIONS.filter((o) => !PUBLIC.has(`${o.method} ${o.path}`));
const reads = authed.filter((o) => o.method === "get");
const writes = authed.filter((o) => o.method !== "get");

/** The seeded id of the right kind for each path prefix (a new resource adds its prefix here). */
const idFor = (path: string): string => {
  const ids: [string, string][] = [
    ["/api/runs/", t.runId], ["/api/analysis/", t.analysisId], ["/api/alerts/", t.alertId],
    ["/api/monitors/", t.monitorId], ["/api/crm-connections/", t.connectionId],
  ];
  return ids.find(([prefix]) => path.startsWith(prefix))?.[1] ?? t.scheduleId;
};
const fill = (path: string) => path.replace("{id}", idFor(path));
const QUERY: Record<string, string> = { "/api/scheduled-reviews/preview": "?schedule=0+6+*+*+1&timezone=UTC" };

beforeAll(async () => {
  await resetDb();
  t = await seedTenant(ORG, "Roles pipeline");
});

describe("member vs admin on every operation", () => {
  it("every read answers a member 200", async () => {
    expect(reads.length).toBeGreaterThanOrEqual(14);
    for (const op of reads) {
      const res = await api("GET", fill(op.path) + (QUERY[op.path] ?? ""), MEMBER);
      expect(res.status, `GET ${op.path}: ${JSON.stringify(res.body).slice(0, 200)}`).toBe(200);
    }
  });

  it("every admin-only operation answers a member 403 forbidden naming the role, and writes nothing", async () => {
    const adminOnly = writes.filter((o) => o.role === "admin");
    expect(adminOnly.map((o) => `${o.method} ${o.path}`)).toEqual(
      expect.arrayContaining(["post /api/scheduled-reviews", "patch /api/scheduled-reviews/{id}", "delete /api/scheduled-reviews/{id}", "post /api/crm-connections/demo"]),
    );
    const before = await snapshotDb();
    for (const who of [MEMBER, MEMBER_PREFIXED])
      for (const op of adminOnly) {
        const res = await api(op.method.toUpperCase(), fill(op.path), who, op.body ? { name: "member edit", is_active: false } : undefined);
        expect(res.status, `${op.method} ${op.path}`).toBe(403);
        expect(res.body.error).toMatchObject({ code: "forbidden", details: { required_role: "admin", role: "member" } });
        expect(res.body.error.message).toMatch(/admin role/);
      }
    expect(changedTables(before, await snapshotDb())).toEqual([]);
  });

  it("member-level operations (run now, replay, repair) are not refused for the role", async () => {
    const memberLevel = writes.filter((o) => o.role === "member");
    expect(memberLevel.map((o) => o.operationId)).toEqual(expect.arrayContaining(["runScheduledReviewNow", "replayRun", "replayFailedRuns"]));
    const bodies: Record<string, unknown> = {
      replayFailedRuns: { from: new Date(Date.now() - 86_400_000).toISOString(), to: new Date().toISOString() },
      repairCoverage: {},
    };
    for (const op of memberLevel) {
      const res = await api(op.method.toUpperCase(), fill(op.path), MEMBER, bodies[op.operationId]);
      expect(res.status, `${op.operationId}: ${JSON.stringify(res.body).slice(0, 200)}`).not.toBe(403);
      expect(res.status).toBeLessThan(500);
    }
  });

  it("an admin of the same organization is not refused; a personal workspace's owner is its admin", async () => {
    const res = await api("PATCH", `/api/scheduled-reviews/${t.scheduleId}`, ADMIN, { description: "by the admin" });
    expect(res.status).toBe(200);
    expect((await api("GET", "/api/me", ADMIN)).body).toMatchObject({ org_id: ORG, role: "admin" });
    expect((await api("GET", "/api/me", MEMBER)).body).toMatchObject({ org_id: ORG, role: "member" });
    expect((await api("GET", "/api/me", { userId: "user_roles_solo" })).body).toMatchObject({ org_id: null, role: "admin" });
  });

  it('o.rol "org:admin" reads as admin (not as the lesser role)', async () => {
    expect((await api("GET", "/api/me", ADMIN_PREFIXED)).body).toMatchObject({ org_id: ORG, role: "admin" });
    const res = await api("PATCH", `/api/scheduled-reviews/${t.scheduleId}`, ADMIN_PREFIXED, { description: "by the prefixed admin" });
    expect(res.status, JSON.stringify(res.body).slice(0, 200)).toBe(200);
  });
});
