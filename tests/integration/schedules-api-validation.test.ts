import { beforeAll, describe, expect, it } from "vitest";
import { api, APP_URL, tokenFor } from "../support/api";
import { resetDb } from "../support/db";
import { A, B, connectionIdFor, createScheduleAs, expectNothingWritten, SLACK_URL, validBody } from "../support/schedules";

// Every bad input of issue #3, on create and on update: a clear 4xx and nothing written.

let conn: string;
let otherTenantConn: string;
let existingId: string;

beforeAll(async () => {
  await resetDb();
  conn = await connectionIdFor(A);
  otherTenantConn = await connectionIdFor(B);
  existingId = (await createScheduleAs(A, conn, { delivery_channels: ["slack"], email_recipients: [] })).id;
});

type Case = { label: string; body: (conn: string) => Record<string, unknown>; status: number; code: string; path?: string };
const over = (o: Record<string, unknown>) => (c: string) => validBody(c, o);
const without = (key: string, o: Record<string, unknown> = {}) => (c: string) => {
  const body: Record<string, unknown> = validBody(c, o);
  delete body[key];
  return body;
};

const CREATE_CASES: Case[] = [
  { label: "invalid cron (minute 61)", body: over({ schedule: "61 6 * * 1" }), status: 400, code: "validation_error", path: "schedule" },
  { label: "cron with 6 fields", body: over({ schedule: "0 0 6 * * 1" }), status: 400, code: "validation_error", path: "schedule" },
  { label: "unknown timezone", body: over({ timezone: "Mars/Olympus_Mons" }), status: 400, code: "validation_error", path: "timezone" },
  { label: "empty name", body: over({ name: "" }), status: 400, code: "validation_error", path: "name" },
  { label: "blank name", body: over({ name: "   " }), status: 400, code: "validation_error", path: "name" },
  { label: "121-character name", body: over({ name: "n".repeat(121) }), status: 400, code: "validation_error", path: "name" },
  { label: "malformed email", body: over({ email_recipients: ["ops@example.com", "not-an-email"] }), status: 400, code: "validation_error", path: "email_recipients.1" },
  {
    label: "51 recipients",
    body: over({ email_recipients: Array.from({ length: 51 }, (_, i) => `r${i}@example.com`) }),
    status: 400, code: "validation_error", path: "email_recipients",
  },
  { label: "Slack URL on another host", body: over({ slack_webhook_url: "https://evil.example.com/services/T0/B0/abc" }), status: 400, code: "validation_error", path: "slack_webhook_url" },
  { label: "Slack URL over http", body: over({ slack_webhook_url: SLACK_URL.replace("https:", "http:") }), status: 400, code: "validation_error", path: "slack_webhook_url" },
  { label: "Slack URL not under /services/", body: over({ slack_webhook_url: "https://hooks.slack.com/workflows/T0/B0/abc" }), status: 400, code: "validation_error", path: "slack_webhook_url" },
  { label: "email channel without recipients", body: over({ delivery_channels: ["email"], email_recipients: [] }), status: 400, code: "validation_error", path: "email_recipients" },
  { label: "slack channel without URL", body: without("slack_webhook_url", { delivery_channels: ["slack"] }), status: 400, code: "validation_error", path: "slack_webhook_url" },
  { label: "unknown delivery channel", body: over({ delivery_channels: ["sms"] }), status: 400, code: "validation_error", path: "delivery_channels.0" },
  { label: "crm_connection_id of another tenant", body: () => validBody(otherTenantConn), status: 404, code: "not_found" },
  { label: "crm_connection_id that does not exist", body: over({ crm_connection_id: "conn_missing" }), status: 404, code: "not_found" },
  { label: "unknown field", body: over({ owner_id: "user_sched_b" }), status: 400, code: "validation_error" },
  { label: "both schedule and frequency", body: over({ frequency: { every: "daily", time: "06:00" } }), status: 400, code: "validation_error", path: "schedule" },
  { label: "neither schedule nor frequency", body: without("schedule"), status: 400, code: "validation_error", path: "schedule" },
  { label: "weekly frequency without day_of_week", body: without("schedule", { frequency: { every: "weekly", time: "06:00" } }), status: 400, code: "validation_error", path: "frequency.day_of_week" },
  { label: "frequency time not HH:MM", body: without("schedule", { frequency: { every: "daily", time: "6am" } }), status: 400, code: "validation_error", path: "frequency.time" },
  { label: "missing name", body: without("name"), status: 400, code: "validation_error", path: "name" },
];

const RAW_CASES = [
  { label: "a JSON array", raw: "[1,2]", type: "application/json", status: 400, code: "invalid_body" },
  { label: "a JSON string", raw: '"hello"', type: "application/json", status: 400, code: "invalid_body" },
  { label: "JSON null", raw: "null", type: "application/json", status: 400, code: "invalid_body" },
  { label: "malformed JSON", raw: '{"name":', type: "application/json", status: 400, code: "invalid_json" },
  { label: "a body over 64 KB", raw: "", type: "application/json", status: 413, code: "payload_too_large" },
  { label: "wrong content type", raw: "", type: "text/plain", status: 415, code: "unsupported_media_type" },
  { label: "form encoding", raw: "name=x", type: "application/x-www-form-urlencoded", status: 415, code: "unsupported_media_type" },
];
const rawBody = (c: (typeof RAW_CASES)[number]) =>
  c.raw || JSON.stringify(validBody(conn, c.status === 413 ? { description: "x".repeat(70 * 1024) } : {}));

describe("POST /api/scheduled-reviews rejects bad input and writes nothing", () => {
  it.each(CREATE_CASES)("$label -> $status $code", async ({ body, status, code, path }) => {
    await expectNothingWritten(A.userId, async () => {
      const res = await api("POST", "/api/scheduled-reviews", A, body(conn));
      expect(res.status).toBe(status);
      expect(res.body.error).toMatchObject({ code, message: expect.any(String) });
      if (path) expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    });
  });

  it.each(RAW_CASES)("body that is $label -> $status $code", async (c) => {
    await expectNothingWritten(A.userId, async () => {
      const res = await api("POST", "/api/scheduled-reviews", A, rawBody(c), { "content-type": c.type });
      expect(res.status).toBe(c.status);
      expect(res.body.error.code).toBe(c.code);
    });
  });

  it("a valid body with the same token is accepted (the cases above fail for their reason only)", async () => {
    const res = await api("POST", "/api/scheduled-reviews", A, validBody(conn, { name: "control" }));
    expect(res.status).toBe(201);
  });
});

describe("PATCH /api/scheduled-reviews/{id} rejects bad input and changes nothing", () => {
  const PATCH_CASES: Case[] = [
    { label: "invalid cron", body: () => ({ schedule: "0 25 * * *" }), status: 400, code: "validation_error", path: "schedule" },
    { label: "unknown timezone", body: () => ({ timezone: "Europe/Atlantis" }), status: 400, code: "validation_error", path: "timezone" },
    { label: "empty name", body: () => ({ name: "" }), status: 400, code: "validation_error", path: "name" },
    { label: "121-character name", body: () => ({ name: "n".repeat(121) }), status: 400, code: "validation_error", path: "name" },
    { label: "malformed email", body: () => ({ email_recipients: ["a@b"] }), status: 400, code: "validation_error", path: "email_recipients.0" },
    { label: "bad Slack URL", body: () => ({ slack_webhook_url: "https://hooks.slack.com.evil.io/services/T/B/C" }), status: 400, code: "validation_error", path: "slack_webhook_url" },
    // merged with the stored schedule (slack only, no recipients):
    { label: "adding email without recipients", body: () => ({ delivery_channels: ["slack", "email"] }), status: 400, code: "validation_error", path: "email_recipients" },
    { label: "clearing the URL of a Slack schedule", body: () => ({ slack_webhook_url: null }), status: 400, code: "validation_error", path: "slack_webhook_url" },
    { label: "crm_connection_id of another tenant", body: () => ({ crm_connection_id: otherTenantConn }), status: 404, code: "not_found" },
    { label: "unknown field", body: () => ({ next_run_at: "2030-01-01T00:00:00Z" }), status: 400, code: "validation_error" },
    { label: "both schedule and frequency", body: () => ({ schedule: "0 6 * * *", frequency: { every: "daily", time: "06:00" } }), status: 400, code: "validation_error", path: "schedule" },
  ];

  it.each(PATCH_CASES)("$label -> $status $code", async ({ body, status, code, path }) => {
    await expectNothingWritten(A.userId, async () => {
      const res = await api("PATCH", `/api/scheduled-reviews/${existingId}`, A, body(conn));
      expect(res.status).toBe(status);
      expect(res.body.error.code).toBe(code);
      if (path) expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    });
  });

  it.each(RAW_CASES)("body that is $label -> $status $code", async (c) => {
    await expectNothingWritten(A.userId, async () => {
      const res = await api("PATCH", `/api/scheduled-reviews/${existingId}`, A, rawBody(c), { "content-type": c.type });
      expect(res.status).toBe(c.status);
      expect(res.body.error.code).toBe(c.code);
    });
  });
});

describe("a chunked body with no Content-Length", () => {
  it("is cut off at 64 KB with 413 and writes nothing", async () => {
    await expectNothingWritten(A.userId, async () => {
      const json = JSON.stringify(validBody(conn, { description: "x".repeat(200 * 1024) }));
      const bytes = new TextEncoder().encode(json);
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < bytes.length; i += 8192) controller.enqueue(bytes.subarray(i, i + 8192));
          controller.close();
        },
      });
      const res = await fetch(`${APP_URL}/api/scheduled-reviews`, {
        method: "POST",
        headers: { authorization: `Bearer ${tokenFor(A)}`, "content-type": "application/json" },
        body: stream,
        duplex: "half",
      } as RequestInit & { duplex: "half" });
      expect(res.status).toBe(413);
      expect((await res.json()).error.code).toBe("payload_too_large");
    });
  });
});
