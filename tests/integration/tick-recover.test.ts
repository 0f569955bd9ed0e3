// A tick that failed after queuing runs (dispatch-1 failing after dispatch-0 queued its batch) left
// them unsent: the next tick sends from the start of the run of failed ticks before it.
import { beforeEach, expect, test } from "vitest";
import { closeTick, emptyCounts, openTick } from "@/lib/scheduler/ticks";
import { resetDb } from "@/tests/support/db";

const MIN = 60_000;
const T0 = new Date("2026-06-10T12:00:00.000Z");
const at = (ms: number) => new Date(T0.getTime() + ms);

beforeEach(async () => {
  await resetDb();
});

test("after failed ticks, sending starts at the oldest consecutive failure", async () => {
  const ok = await openTick("DISPATCH", at(-MIN));
  await closeTick({ tickId: ok.tickId, counts: emptyCounts(), now: at(-MIN + 500) });
  for (const m of [0, 1]) {
    const t = await openTick("DISPATCH", at(m * MIN));
    await closeTick({ tickId: t.tickId, counts: { ...emptyCounts(), due: 10_000, dispatched: 5_000 }, error: "dispatch-1: database is down", now: at(m * MIN + 900) });
  }
  const next = await openTick("DISPATCH", at(2 * MIN));
  expect(next.recoverSince).toBe(T0.toISOString());
});

test("after a successful tick, nothing to recover", async () => {
  const failed = await openTick("DISPATCH", at(-MIN));
  await closeTick({ tickId: failed.tickId, counts: emptyCounts(), error: "boom", now: at(-MIN + 500) });
  const ok = await openTick("DISPATCH", T0);
  expect(ok.recoverSince).toBe(at(-MIN).toISOString());
  await closeTick({ tickId: ok.tickId, counts: emptyCounts(), now: at(500) });
  expect((await openTick("DISPATCH", at(MIN))).recoverSince).toBeNull();
});
