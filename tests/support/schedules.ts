import { beforeAll, expect } from "vitest";
import { systemDb } from "@/lib/db";
import { api, type Who } from "./api";
import { resetDb } from "./db";

// Fixtures for the scheduled-reviews API tests: tenants, a valid body, and "nothing was written".

export const A = { userId: "user_sched_a" } as const; // team plan (tokenFor's default)
export const B = { userId: "user_sched_b" } as const;
export const ORG = { userId: "user_sched_a", orgId: "org_sched" } as const; // same user, the org is another tenant
export const FREE = { userId: "user_sched_free", plan: "free" } as const;
export const FREE_AS_TEAM = { userId: "user_sched_free", plan: "team" } as const; // same tenant before a downgrade

export const SLACK_SECRET = "s3cretW3bhookT0ken9876";
export const SLACK_URL = `https://hooks.slack.com/services/T0SCHED01/B0SCHED02/${SLACK_SECRET}`;

/** Before the file's tests: an empty database and `who`'s Demo CRM connection, whose id the getter returns. */
export function freshConnectionFor(who: Who): () => string {
  let id = "";
  beforeAll(async () => {
    await resetDb();
    id = await connectionIdFor(who);
  });
  return () => id;
}

/** The tenant's Demo CRM connection (connected through the API's explicit action, idempotent). */
export const connectionIdFor = async (who: Who): Promise<string> => {
  const res = await api("POST", "/api/crm-connections/demo", who);
  expect([200, 201]).toContain(res.status);
  return res.body.id;
};

export const validBody = (crmConnectionId: string, over: Record<string, unknown> = {}) => ({
  name: "Monday pipeline",
  crm_connection_id: crmConnectionId,
  schedule: "0 6 * * 1",
  timezone: "America/New_York",
  delivery_channels: ["email", "slack"],
  email_recipients: ["ops@example.com"],
  slack_webhook_url: SLACK_URL,
  ...over,
});

export async function createScheduleAs(who: Who, crmConnectionId: string, over: Record<string, unknown> = {}) {
  const res = await api("POST", "/api/scheduled-reviews", who, validBody(crmConnectionId, over));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

export const scheduleRows = (ownerId: string) => systemDb().scheduledReview.findMany({ where: { ownerId }, orderBy: { id: "asc" } });

/** Runs `act` and asserts the tenant's schedules are exactly as before (none added, none changed). */
export async function expectNothingWritten(ownerId: string, act: () => Promise<void>) {
  const before = await scheduleRows(ownerId);
  await act();
  expect(await scheduleRows(ownerId)).toEqual(before);
}

/** Wall-clock parts of an instant in a zone, to check "Monday 06:00 in New York" without string tricks. */
export function wallIn(iso: string, timeZone: string) {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone, weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(new Date(iso));
  const get = (t: string) => parts.find((p) => p.type === t)?.value;
  return `${get("weekday")} ${get("hour")}:${get("minute")}`;
}

export const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;
