// run.queued is logged only for runs that exist: a batch whose transaction rolls back logs nothing.
import { beforeEach, expect, test, vi } from "vitest";
import { systemDb } from "@/lib/db";
import { captureLogs } from "@/lib/log";
import { dispatchDue } from "@/lib/scheduler/dispatch";
import { resetDb } from "@/tests/support/db";
import { createSchedule } from "@/tests/support/in-process-inngest";

const fault = vi.hoisted(() => ({ failCommit: false }));
vi.mock("@/lib/db", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/db")>();
  return {
    ...real,
    // The batch's work runs, then the transaction fails (as a COMMIT refused by the server would).
    bulkTransaction: <T>(work: Parameters<typeof real.bulkTransaction<T>>[0]) =>
      real.bulkTransaction(async (client) => {
        const r = await work(client);
        if (fault.failCommit) throw new Error("could not commit");
        return r;
      }),
  };
});

beforeEach(async () => {
  await resetDb();
  fault.failCommit = false;
});

test("a rolled-back batch logs no run.queued; a committed one logs each run", async () => {
  const now = new Date("2026-03-09T06:00:30.000Z");
  await createSchedule({ nextRunAt: new Date("2026-03-09T06:00:00.000Z") });
  const logs = captureLogs("info");
  try {
    fault.failCommit = true;
    await expect(dispatchDue({ now })).rejects.toThrow("could not commit");
    expect(await systemDb().reviewRun.count()).toBe(0);
    expect(logs.lines.filter((l) => l.event === "run.queued")).toEqual([]);
    fault.failCommit = false;
    await dispatchDue({ now });
    expect(await systemDb().reviewRun.count()).toBe(1);
    expect(logs.lines.filter((l) => l.event === "run.queued")).toHaveLength(1);
  } finally {
    logs.restore();
  }
});
