// Dispatch: `due` of `total` active schedules due at one instant. The app's dispatcher (batches,
// run inserts, next_run_at, events handed to an executor) against one hand-written SQL transaction
// doing the same inserts and updates on the same seeded data.
import type pg from "pg";
import { dispatchDue } from "@/lib/scheduler/dispatch";
import { sendQueuedRuns, type SendCursor } from "@/lib/scheduler/send-queued";
import { timed, type Row } from "./measure";

const NOW = "2026-04-01T06:00:30.000Z";
const SLOT = "2026-04-01T06:00:00.000Z";
// Crons that all have a slot at 06:00 UTC on Wednesday 1 April 2026.
const CRONS = ["0 6 * * *", "0 6 * * 1-5", "0 */2 * * *", "*/15 * * * *"];

async function seed(db: pg.Client, total: number, due: number) {
  await db.query(`TRUNCATE "ReviewRun", "ScheduledReview", "CrmConnection" CASCADE`);
  await db.query(`INSERT INTO "CrmConnection" (id, "ownerId", provider, name, "instanceUrl", "updatedAt") VALUES ('conn_bench', 'org_bench', 'DEMO', 'Demo', 'demo://', now())`);
  await db.query(
    `INSERT INTO "ScheduledReview" (id, "ownerId", name, "crmConnectionId", cron, timezone, "deliveryChannels", "emailRecipients", "isActive", "nextRunAt", "updatedAt")
     SELECT 'sch_' || lpad(i::text, 7, '0'), 'org_' || (i % 1000), 'Review ' || i, 'conn_bench', ($4::text[])[1 + i % 4], 'UTC', '{}', '{}', true,
            CASE WHEN i <= $2 THEN $3::timestamp(3) ELSE $3::timestamp(3) + interval '1 hour' + (i % 600) * interval '1 minute' END, now()
     FROM generate_series(1, $1) AS i`,
    [total, due, SLOT, CRONS],
  );
  await db.query(`ANALYZE "ScheduledReview"`);
}

/** The floor: one transaction, set-based SQL, no time math (every due slot is moved a day on). */
const FLOOR_SQL = `
  WITH due AS (SELECT id, "ownerId", "nextRunAt" FROM "ScheduledReview" WHERE "isActive" AND "nextRunAt" <= $1::timestamp(3) FOR UPDATE SKIP LOCKED),
  ins AS (
    INSERT INTO "ReviewRun" (id, "scheduledReviewId", "ownerId", trigger, "scheduledFor", status, "queuedAt", "createdAt", "updatedAt")
    SELECT 'f' || md5(id || "nextRunAt"::text), id, "ownerId", 'SCHEDULED', "nextRunAt", 'QUEUED', $1::timestamp(3), $1::timestamp(3), $1::timestamp(3) FROM due
    ON CONFLICT ("scheduledReviewId", "scheduledFor") DO NOTHING RETURNING 1)
  UPDATE "ScheduledReview" s SET "nextRunAt" = due."nextRunAt" + interval '1 day' FROM due WHERE s.id = due.id`;

export async function benchDispatch(db: pg.Client, total: number, due: number): Promise<Row> {
  // Warm-up (JIT, zone rules, the pool): the every-minute dispatcher runs in a warm process.
  await seed(db, 2_000, 500);
  await dispatchDue({ now: new Date(NOW) });
  await sendQueuedRuns({ since: new Date(NOW) });
  await seed(db, total, due);
  let split = "";
  const app = await timed(async () => {
    const queued = await timed(() => dispatchDue({ now: new Date(NOW) }));
    const sending = await timed(async () => {
      let after: SendCursor | null = null;
      let sent = 0;
      do {
        const page = await sendQueuedRuns({ since: new Date(NOW), after });
        sent += page.sent;
        after = page.cursor;
      } while (after);
      return sent;
    });
    split = `queue ${queued.ms.toFixed(0)} ms + send ${sending.ms.toFixed(0)} ms`;
    return { ...queued.value, sent: sending.value };
  });
  if (app.value.dispatched !== due || app.value.sent !== due) throw new Error(`dispatch bench: expected ${due} dispatched and sent, got ${JSON.stringify(app.value)}`);
  await seed(db, total, due);
  const floor = await timed(async () => {
    await db.query("BEGIN");
    await db.query(FLOOR_SQL, [NOW]);
    await db.query("COMMIT");
  });
  return {
    measure: `dispatch ${due.toLocaleString("en-US")} due of ${total.toLocaleString("en-US")} (runs, next_run_at, events sent)`,
    value: app.ms,
    unit: "ms",
    floor: floor.ms,
    floorLabel: "one SQL transaction",
    note: split,
  };
}
