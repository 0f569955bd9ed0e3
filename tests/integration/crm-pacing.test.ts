// The Postgres pacing rows (lib/crm/pacing.ts): a deferral holds a bursting kind too, and the row's
// UTC instant does not depend on the session's TimeZone.
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { deferSlots, waitForSlot, type Pace } from "@/lib/crm/pacing";
import { disconnectDb, systemDb } from "@/lib/db";
import { resetDb } from "@/tests/support/db";

const CONN = "conn_pacing";
const bursting: Pace = { gapMs: 100, burst: 20 };

beforeEach(() => resetDb());

describe("CRM pacing", () => {
  test("a deferral holds a kind with a burst allowance: the next slot waits about the deferral (a 1 s deferral did nothing for burst 20)", async () => {
    expect(await waitForSlot("hubspot-call", CONN, bursting)).toBe(0);
    await deferSlots("hubspot-call", CONN, 1000, bursting);
    // The wait the limiter computed from the row (not elapsed time): the deferral, less the statement gap.
    expect(await waitForSlot("hubspot-call", CONN, bursting)).toBeGreaterThan(800);
  });

  describe("in a session whose TimeZone is not UTC", () => {
    const setZone = async (zone: string | null) => {
      const [{ db }] = await systemDb().$queryRaw<{ db: string }[]>`SELECT current_database() AS db`;
      await systemDb().$executeRawUnsafe(zone ? `ALTER DATABASE "${db}" SET TimeZone = '${zone}'` : `ALTER DATABASE "${db}" RESET TimeZone`);
      await disconnectDb(); // new connections take the database's setting
    };
    beforeEach(() => setZone("Pacific/Kiritimati"));
    afterEach(() => setZone(null));

    test("the slot instant is stored in UTC, as Prisma reads it (it was 14 hours off)", async () => {
      const [{ zone }] = await systemDb().$queryRaw<{ zone: string }[]>`SELECT current_setting('TimeZone') AS zone`;
      expect(zone).toBe("Pacific/Kiritimati");
      await waitForSlot("hubspot-search", CONN, { gapMs: 200, burst: 1 });
      const [{ now }] = await systemDb().$queryRaw<{ now: Date }[]>`SELECT now() AT TIME ZONE 'UTC' AS now`;
      const row = await systemDb().rateLimitBucket.findUniqueOrThrow({ where: { key: `hubspot-search:${CONN}` } });
      expect(Math.abs(row.refilledAt.getTime() - now.getTime())).toBeLessThan(60_000);
      // And a second slot right away waits one gap, not hours.
      const waited = await waitForSlot("hubspot-search", CONN, { gapMs: 200, burst: 1 }, AbortSignal.timeout(5_000));
      expect(waited).toBeLessThanOrEqual(200);
    });
  });
});
