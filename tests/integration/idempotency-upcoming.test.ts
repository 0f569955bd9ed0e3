import { beforeAll, describe, expect, it } from "vitest";
import { systemDb } from "@/lib/db";
import { api } from "../support/api";
import { resetDb } from "../support/db";
import { connectionIdFor, expectNothingWritten, scheduleRows, validBody } from "../support/schedules";

// POST /api/scheduled-reviews with an Idempotency-Key (Stripe semantics) and GET /api/scheduled-reviews/upcoming.

const base = "/api/scheduled-reviews";
const A = { userId: "user_idem_a" } as const;
const B = { userId: "user_idem_b" } as const;
let connA: string;
let connB: string;
const key = (name: string) => ({ "Idempotency-Key": `${name}-${Math.random().toString(36).slice(2)}` });

beforeAll(async () => {
  await resetDb();
  [connA, connB] = await Promise.all([connectionIdFor(A), connectionIdFor(B)]);
});

describe("Idempotency-Key on create", () => {
  it("the same key and body again: the same 201 response, marked replayed, and no second row", async () => {
    const k = key("same");
    const before = (await scheduleRows(A.userId)).length;
    const first = await api("POST", base, A, validBody(connA, { name: "Idem once" }), k);
    const again = await api("POST", base, A, validBody(connA, { name: "Idem once" }), k);
    expect(first.status).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body).toEqual(first.body);
    expect((await scheduleRows(A.userId)).length).toBe(before + 1);
  });

  it("field order does not matter: the body is compared by content", async () => {
    const k = key("order");
    const body = validBody(connA, { name: "Idem order" });
    const first = await api("POST", base, A, body, k);
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    const again = await api("POST", base, A, reordered, k);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
  });

  it("the same key with another body is 422 idempotency_key_reused, and nothing is written", async () => {
    const k = key("other");
    await api("POST", base, A, validBody(connA, { name: "Idem first" }), k);
    await expectNothingWritten(A.userId, async () => {
      const res = await api("POST", base, A, validBody(connA, { name: "Idem second" }), k);
      expect(res.status).toBe(422);
      expect(res.body).toEqual({ error: { code: "idempotency_key_reused", message: expect.stringContaining("Idempotency-Key"), details: { idempotency_key: k["Idempotency-Key"] } } });
    });
  });

  it("concurrent duplicates create one row and all answer it", async () => {
    const k = key("race");
    const before = (await scheduleRows(A.userId)).length;
    const all = await Promise.all(Array.from({ length: 6 }, () => api("POST", base, A, validBody(connA, { name: "Idem race" }), k)));
    expect(all.map((r) => r.status)).toEqual(Array(6).fill(201));
    expect(new Set(all.map((r) => r.body.id)).size).toBe(1);
    expect(all.filter((r) => r.headers.get("idempotent-replayed") === "true")).toHaveLength(5);
    expect((await scheduleRows(A.userId)).length).toBe(before + 1);
  });

  it("keys are per tenant: another tenant's request with the same key is its own create", async () => {
    const k = key("tenant");
    const a = await api("POST", base, A, validBody(connA, { name: "Idem tenant" }), k);
    const b = await api("POST", base, B, validBody(connB, { name: "Idem tenant" }), k);
    expect(b.status).toBe(201);
    expect(b.headers.get("idempotent-replayed")).toBeNull();
    expect(b.body.id).not.toBe(a.body.id);
    expect(b.body.crm_connection_id).toBe(connB);
  });

  it("a malformed key is 400 with the error shape; a failed create binds nothing, so its retry runs", async () => {
    await expectNothingWritten(A.userId, async () => {
      const res = await api("POST", base, A, validBody(connA), { "Idempotency-Key": "x".repeat(256) });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: "validation_error", details: [{ path: "Idempotency-Key", message: expect.any(String) }] });
    });
    const k = key("retry");
    const bad = await api("POST", base, A, validBody(connA, { timezone: "Mars/Olympus" }), k);
    expect(bad.status).toBe(400);
    const missing = await api("POST", base, A, validBody("conn_missing"), k);
    expect(missing.status).toBe(404);
    const good = await api("POST", base, A, validBody(connA, { name: "Idem after failures" }), k);
    expect(good.status).toBe(201);
    expect(good.headers.get("idempotent-replayed")).toBeNull();
  });

  it("after 24 hours a key is free again", async () => {
    const k = key("expired");
    const first = await api("POST", base, A, validBody(connA, { name: "Idem day one" }), k);
    await systemDb().idempotencyKey.updateMany({ where: { ownerId: A.userId, key: k["Idempotency-Key"] }, data: { createdAt: new Date(Date.now() - 25 * 3600_000) } });
    const later = await api("POST", base, A, validBody(connA, { name: "Idem day two" }), k);
    expect(later.status).toBe(201);
    expect(later.body.id).not.toBe(first.body.id);
    expect(await systemDb().idempotencyKey.count({ where: { ownerId: A.userId, key: k["Idempotency-Key"] } })).toBe(1);
  });

  it("is documented: the header and the 422 are in the OpenAPI document", async () => {
    const doc = (await api("GET", "/api/openapi.json", null)).body;
    const op = doc.paths["/api/scheduled-reviews"].post;
    expect(op.parameters).toContainEqual(expect.objectContaining({ name: "Idempotency-Key", in: "header" }));
    expect(op.responses["422"].description).toContain("idempotency_key_reused");
    expect(doc.paths["/api/scheduled-reviews/upcoming"].get.responses["200"]).toBeDefined();
  });
});

describe("GET /api/scheduled-reviews/upcoming", () => {
  const C = { userId: "user_upcoming_c" } as const;

  it("lists the next 7 days of the tenant's active schedules only, soonest first", async () => {
    const conn = await connectionIdFor(C);
    const daily = await api("POST", base, C, validBody(conn, { name: "Daily six", schedule: "0 6 * * *", delivery_channels: [], slack_webhook_url: undefined }));
    await api("POST", base, C, validBody(conn, { name: "Paused", schedule: "0 7 * * *", is_active: false, delivery_channels: [] }));
    await api("POST", base, B, validBody(connB, { name: "Not mine", schedule: "0 8 * * *", delivery_channels: [] }));
    const res = await api("GET", `${base}/upcoming`, C);
    expect(res.status).toBe(200);
    expect(res.body.truncated).toBe(false);
    expect(Date.parse(res.body.until) - Date.parse(res.body.from)).toBe(7 * 24 * 3600_000);
    expect(res.body.data).toHaveLength(7);
    expect(new Set(res.body.data.map((r: { schedule_name: string }) => r.schedule_name))).toEqual(new Set(["Daily six"]));
    expect(res.body.data[0]).toEqual({
      schedule_id: daily.body.id, schedule_name: "Daily six", schedule: "0 6 * * *", timezone: "America/New_York",
      at: daily.body.next_runs[0].at, utc: daily.body.next_runs[0].utc, local: daily.body.next_runs[0].local, dst: null,
    });
    const utcs = res.body.data.map((r: { utc: string }) => r.utc);
    expect(utcs).toEqual([...utcs].sort());
  });

  it("days and limit narrow it; bad values are 400; no token is 401", async () => {
    const one = await api("GET", `${base}/upcoming?days=1&limit=1`, C);
    expect(one.status).toBe(200);
    expect(one.body.data).toHaveLength(1);
    for (const q of ["days=0", "days=32", "limit=0", "days=1e1", "days=7&days=7", "extra=1"]) {
      const res = await api("GET", `${base}/upcoming?${q}`, C);
      expect(res.status, q).toBe(400);
      expect(res.body.error.code, q).toBe("validation_error");
    }
    expect((await api("GET", `${base}/upcoming`, null)).status).toBe(401);
  });
});
