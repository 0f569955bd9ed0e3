// The CRM connection routes over HTTP (#14 review): DELETE refused with 409 while schedules use the
// connection (listing them, nothing deleted), and never a 5xx when it races a schedule create, rename (and a bad name writes nothing), another tenant's
// connection id answering 404 on every route that takes one, and /crm showing a fixed message for a
// connect_error code (never the URL's text).
import { beforeAll, describe, expect, test } from "vitest";
import { systemDb } from "@/lib/db";
import { api, APP_URL, tokenFor } from "@/tests/support/api";
import { scheduleOn } from "@/tests/support/crm";
import { resetDb } from "@/tests/support/db";
import { validBody } from "@/tests/support/schedules";

const ALICE = { userId: "user_crm_alice", plan: "team" } as const;
const MALLORY = { userId: "user_crm_mallory", plan: "team" } as const;

const connection = (ownerId: string, provider: "HUBSPOT" | "SALESFORCE" | "DEMO", name: string) =>
  systemDb().crmConnection.create({ data: { ownerId, provider, name, status: "ACTIVE", instanceUrl: provider === "DEMO" ? "demo://?seed=1&size=5" : null } });

beforeAll(() => resetDb());

describe("DELETE /api/crm-connections/{id}", () => {
  test("409 connection_in_use while schedules use it, listing them; nothing deleted; 204 once they are gone", async () => {
    const conn = await connection(ALICE.userId, "DEMO", "Demo (in use)");
    const a = await systemDb().scheduledReview.update({ where: { id: (await scheduleOn(conn)).id }, data: { name: "Weekly forecast" } });
    const b = await systemDb().scheduledReview.update({ where: { id: (await scheduleOn(conn)).id }, data: { name: "Daily hygiene" } });
    const res = await api("DELETE", `/api/crm-connections/${conn.id}`, ALICE);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("connection_in_use");
    expect(res.body.error.details.schedules).toEqual([{ id: b.id, name: "Daily hygiene" }, { id: a.id, name: "Weekly forecast" }]);
    expect(await systemDb().crmConnection.count({ where: { id: conn.id } })).toBe(1);

    await systemDb().scheduledReview.deleteMany({ where: { crmConnectionId: conn.id } });
    expect((await api("DELETE", `/api/crm-connections/${conn.id}`, ALICE)).status).toBe(204);
    expect(await systemDb().crmConnection.count({ where: { id: conn.id } })).toBe(0);
  });
});

describe("DELETE racing a schedule create on the same connection", () => {
  test("never a 5xx: either the schedule is created and the delete is refused (409), or the delete wins and the create is a 404", { timeout: 60_000 }, async () => {
    const RACER = { userId: "user_crm_racer", plan: "team" } as const;
    for (let round = 0; round < 6; round++) {
      const conn = await connection(RACER.userId, "DEMO", `Race ${round}`);
      const [created, deleted] = await Promise.all([
        api("POST", "/api/scheduled-reviews", RACER, validBody(conn.id, { delivery_channels: ["email"], slack_webhook_url: undefined })),
        api("DELETE", `/api/crm-connections/${conn.id}`, RACER),
      ]);
      expect([created.status, deleted.status]).toSatisfy(([c, d]: number[]) => (c === 201 && d === 409) || (c === 404 && d === 204));
      expect(await systemDb().crmConnection.count({ where: { id: conn.id } })).toBe(created.status === 201 ? 1 : 0);
    }
  });
});

describe("PATCH /api/crm-connections/{id}", () => {
  test("renames; a blank or overlong name is a 400 that writes nothing", async () => {
    const conn = await connection(ALICE.userId, "DEMO", "Old name");
    const res = await api("PATCH", `/api/crm-connections/${conn.id}`, ALICE, { name: "  Sales org  " });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: conn.id, name: "Sales org", provider: "demo" });
    for (const body of [{ name: "   " }, { name: "x".repeat(101) }, { name: "ok", extra: 1 }, {}]) {
      const bad = await api("PATCH", `/api/crm-connections/${conn.id}`, ALICE, body);
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe("validation_error");
    }
    expect((await systemDb().crmConnection.findUniqueOrThrow({ where: { id: conn.id } })).name).toBe("Sales org");
  });
});

describe("another tenant's connection id", () => {
  test("404 not_found on every connection route, and nothing changes", async () => {
    const demo = await connection(ALICE.userId, "DEMO", "Alice demo");
    const hub = await connection(ALICE.userId, "HUBSPOT", "Alice HubSpot");
    const sf = await connection(ALICE.userId, "SALESFORCE", "Alice Salesforce");
    const calls: [string, string, unknown?][] = [
      ["PATCH", `/api/crm-connections/${demo.id}`, { name: "Mine now" }],
      ["DELETE", `/api/crm-connections/${demo.id}`],
      ["POST", `/api/crm-connections/${demo.id}/test`],
      ["GET", `/api/crm-connections/${demo.id}/options`],
      ["POST", `/api/crm-connections/${hub.id}/test`],
      ["GET", `/api/crm-connections/${hub.id}/options`],
      ["POST", "/api/crm-connections/hubspot/authorize", { connection_id: hub.id }],
      ["POST", "/api/crm-connections/salesforce/authorize", { connection_id: sf.id }],
    ];
    for (const [method, path, body] of calls) {
      const res = await api(method, path, MALLORY, body);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.error.code, `${method} ${path}`).toBe("not_found");
    }
    const list = await api("GET", "/api/crm-connections", MALLORY);
    expect(list.status).toBe(200);
    expect(list.body.data.map((c: { id: string }) => c.id)).not.toContain(demo.id);
    const rows = await systemDb().crmConnection.findMany({ where: { ownerId: ALICE.userId, id: { in: [demo.id, hub.id, sf.id] } }, orderBy: { name: "asc" } });
    expect(rows.map((r) => [r.name, r.lastTestedAt])).toEqual([["Alice HubSpot", null], ["Alice Salesforce", null], ["Alice demo", null]]);
  });
});

describe("/crm?connect_error=", () => {
  test("a known code shows its message; any other text shows the generic one, never itself", async () => {
    const session = tokenFor(ALICE)!;
    const iat = JSON.parse(Buffer.from(session.split(".")[1]!, "base64url").toString()).iat as number;
    const page = async (value: string) => {
      const res = await fetch(`${APP_URL}/crm?${new URLSearchParams({ connect_error: value })}`, { headers: { cookie: `__session=${session}; __client_uat=${iat}`, accept: "text/html", "sec-fetch-dest": "document" } });
      expect(res.status).toBe(200);
      // What the user reads: the alert paragraph (the router's own state echoes the URL, unrendered).
      return (await res.text()).match(/<p role="alert"[^>]*>(.*?)<\/p>/)?.[1];
    };
    expect(await page("access_denied")).toContain("You declined the authorization");
    expect(await page("Your account is locked: call 555-0100 now")).toBe("The connection did not finish. Try connecting again.");
  });
});
