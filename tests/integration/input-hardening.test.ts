// Inputs that used to reach a 500 (issue #11, defect 4): each answers a 4xx in the API's error shape and
// writes nothing. The fuzzer (tests/reliability/fuzz.test.ts) covers the same ground at volume.
import { beforeAll, describe, expect, it } from "vitest";
import { systemDb } from "@/lib/db";
import { api, APP_URL } from "../support/api";
import { resetDb } from "../support/db";
import { A, connectionIdFor, createScheduleAs, expectNothingWritten, validBody } from "../support/schedules";

const base = "/api/scheduled-reviews";
let scheduleId: string;
let conn: string;

const expectError = (res: { status: number; body: unknown; headers: Headers }, status: number, code: string) => {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/json");
  expect(res.body).toMatchObject({ error: { code, message: expect.any(String) } });
};

beforeAll(async () => {
  await resetDb();
  conn = await connectionIdFor(A);
  scheduleId = (await createScheduleAs(A, conn)).id;
});

describe("NUL bytes", () => {
  it("in a path id: 404, not a database error", async () => {
    for (const path of ["/api/runs/%00", `/api/analysis/a%00b`, `${base}/%00`, `${base}/%00/runs`, `/api/runs/${"x".repeat(65)}`])
      expectError(await api("GET", path, A), 404, "not_found");
    expectError(await api("PATCH", `${base}/%00`, A, { name: "x" }), 404, "not_found");
  });

  it("in any string field or query value: 400 validation_error naming the field, nothing written", async () => {
    await expectNothingWritten(A.userId, async () => {
      const res = await api("POST", base, A, validBody(conn, { name: "Mon\u0000day" }));
      expectError(res, 400, "validation_error");
      expect(res.body.error.details).toContainEqual(expect.objectContaining({ path: "name" }));
      expectError(await api("POST", base, A, validBody(conn, { email_recipients: ["a\u0000@example.com"] })), 400, "validation_error");
      expectError(await api("PATCH", `${base}/${scheduleId}`, A, { description: "x\u0000" }), 400, "validation_error");
    });
    expectError(await api("GET", `${base}/${scheduleId}/runs?cursor=%00`, A), 400, "validation_error");
    expectError(await api("GET", `${base}/preview?schedule=0+6+*+*+1&timezone=UTC%00`, A), 400, "validation_error");
  });
});

describe("runs cursor", () => {
  it("that decodes to a date out of range: 400 invalid_cursor", async () => {
    for (const raw of ["zzzzzzzzzzzz.abc", "1y2p0ij32e8e8.abc", `${(8.64e15 + 1).toString(36)}.abc`]) {
      const cursor = Buffer.from(raw).toString("base64url");
      expectError(await api("GET", `${base}/${scheduleId}/runs?cursor=${cursor}`, A), 400, "invalid_cursor");
    }
  });
});

describe("query numbers", () => {
  it("accepts plain decimal digits only (0x10, 1e1, +5 are not 16, 10, 5)", async () => {
    expect((await api("GET", `${base}/${scheduleId}/runs?limit=16`, A)).status).toBe(200);
    for (const v of ["0x10", "1e1", "%2B5", "%205", "0b1", "1.0"])
      expectError(await api("GET", `${base}/${scheduleId}/runs?limit=${v}`, A), 400, "validation_error");
    expectError(await api("GET", `${base}/preview?schedule=0+6+*+*+1&timezone=UTC&count=0x3`, A), 400, "validation_error");
  });
});

describe("prototype keys", () => {
  it("in the query or anywhere in a body: 400, nothing written", async () => {
    for (const key of ["__proto__", "constructor", "prototype"])
      expectError(await api("GET", `${base}/${scheduleId}/runs?${key}=1`, A), 400, "validation_error");
    const body = JSON.stringify({ ...validBody(conn), schedule: undefined, frequency: { every: "daily", time: "06:00" } });
    const post = (raw: string) => api("POST", base, A, raw, { "content-type": "application/json" });
    const control = await post(body); // without the key the same body is valid
    expect(control.status).toBe(201);
    await systemDb().scheduledReview.delete({ where: { id: control.body.id } });
    await expectNothingWritten(A.userId, async () => {
      for (const key of ["__proto__", "constructor", "prototype"]) {
        expectError(await post(body.replace('"every"', `"${key}":{"x":1},"every"`)), 400, "validation_error");
        expectError(await post(body.replace('{"name"', `{"${key}":1,"name"`)), 400, "validation_error");
      }
    });
  });
});

describe("the path itself", () => {
  it("malformed percent-encoding: 400 JSON from the proxy (Next would answer a text/plain 500)", async () => {
    for (const path of ["/api/runs/%E0%A4%A", "/api/runs/%", `${base}/%zz/runs`, "/api/sched%ZZ", "/runs/%E0%A4%A", "/schedule/%"])
      expectError(await api("GET", path, A), 400, "validation_error");
  });

  it("a method the route does not export: 405 JSON with Allow", async () => {
    const res = await api("DELETE", "/api/me", A);
    expectError(res, 405, "method_not_allowed");
    expect(res.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
    const put = await api("PUT", `${base}/${scheduleId}`, A, {});
    expectError(put, 405, "method_not_allowed");
    expect(put.headers.get("allow")).toBe("DELETE, GET, HEAD, OPTIONS, PATCH");
    expect((await api("POST", `${base}/preview`, A, {})).headers.get("allow")).toBe("GET, HEAD, OPTIONS"); // not {id}
    expect((await api("GET", `${base}/${scheduleId}`, A)).status).toBe(200);
  });
});

describe("/api/inngest junk", () => {
  const junk: [string, string, string | undefined][] = [
    ["POST", "/api/inngest", "{}"],
    ["POST", "/api/inngest?fnId=nope&stepId=step", "{}"],
    ["POST", "/api/inngest?fnId=revwatch-run-review&stepId=step", "garbage"],
    ["POST", "/api/inngest?fnId=revwatch-run-review&stepId=step", "{}"],
    ["POST", "/api/inngest?fnId=revwatch-run-review&stepId=step", '{"event":{},"ctx":{"run_id":1}}'],
    ["POST", "/api/inngest?fnId=revwatch-run-review&stepId=step", '{"event":{},"version":0,"ctx":{"run_id":"r"}}'],
    ["POST", "/api/inngest?probe=nope", ""],
    ["PUT", "/api/inngest", "garbage"],
  ];
  it.each(junk)("%s %s %s: 4xx JSON without a stack trace", async (method, path, body) => {
    const res = await fetch(`${APP_URL}${path}`, { method, body, headers: { "content-type": "application/json" } });
    const text = await res.text();
    expect(res.status, text).toBeGreaterThanOrEqual(400);
    expect(res.status, text).toBeLessThan(500);
    expect(JSON.parse(text)).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
    expect(text).not.toMatch(/stack|\bat .*\.js/);
  });

  it("still answers the executor's introspection", async () => {
    const res = await fetch(`${APP_URL}/api/inngest`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ function_count: expect.any(Number) });
  });
});

describe("nothing was written by any of the above", () => {
  it("A still has exactly its one schedule, unchanged name", async () => {
    expect(await systemDb().scheduledReview.findMany({ where: { ownerId: A.userId }, select: { id: true, name: true } })).toEqual([
      { id: scheduleId, name: "Monday pipeline" },
    ]);
  });
});
