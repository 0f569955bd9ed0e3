// Retention passes are bounded: `done` only when nothing older than retention is left, including when
// one schedule's old runs take the whole budget of a pass.
import { beforeEach, expect, it } from "vitest";
import { systemDb } from "@/lib/db";
import { pruneHistory } from "@/lib/retention/prune";
import { resetDb } from "../support/db";

const now = new Date("2026-12-01T12:00:00Z");
const OWNER = "org_retention_batches";

beforeEach(() => resetDb());

async function scheduleWithOldRuns(n: number) {
  const db = systemDb();
  const conn = await db.crmConnection.create({ data: { ownerId: OWNER, provider: "DEMO", name: "Demo CRM" } });
  const s = await db.scheduledReview.create({ data: { ownerId: OWNER, name: "One", crmConnectionId: conn.id, cron: "0 6 * * *", timezone: "UTC" } });
  await db.reviewRun.createMany({
    data: Array.from({ length: n }, (_, i) => ({
      id: `old_${i}`, ownerId: OWNER, scheduledReviewId: s.id, trigger: "SCHEDULED" as const, status: "COMPLETED" as const,
      scheduledFor: new Date(now.getTime() - (200 + i) * 86_400_000),
    })),
  });
  return s;
}

it("one schedule with more old runs than a batch: not done until the last pass", async () => {
  await scheduleWithOldRuns(7);
  const passes = [await pruneHistory(now, 3)];
  while (!passes.at(-1)!.done && passes.length < 10) passes.push(await pruneHistory(now, 3));
  expect(passes.map((p) => [p.runs, p.done])).toEqual([[3, false], [3, false], [1, true]]);
  expect(await systemDb().reviewRun.count({ where: { ownerId: OWNER } })).toBe(0);
});

it("old runs exactly filling the batch: the pass says maybe more, the next one finds none", async () => {
  await scheduleWithOldRuns(3);
  expect(await pruneHistory(now, 3)).toMatchObject({ runs: 3, done: false });
  expect(await pruneHistory(now, 3)).toMatchObject({ runs: 0, done: true });
});
