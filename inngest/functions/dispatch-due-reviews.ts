import { schedulerCron } from "@/inngest/with-tick";
import { releaseBufferedRuns } from "@/lib/scheduler/buffered";
import { addBatch, dispatchBatch, type BatchCursor } from "@/lib/scheduler/dispatch";
import { sendQueuedRuns, type SendCursor } from "@/lib/scheduler/send-queued";
import { emptyCounts } from "@/lib/scheduler/ticks";

// Every minute: record a tick, queue one run per due (schedule, slot) batch by batch ("dispatch-N"),
// then hand every run still QUEUED since the tick's instant to Inngest ("send-N", event id = run id,
// so Inngest drops duplicates), close the tick. Step outputs are counts and cursors, never run ids.
// A retried step, or a tick after one whose process died, sends again what may not have been sent.
export const dispatchDueReviews = schedulerCron(
  { id: "dispatch-due-reviews", name: "Dispatch due reviews", cron: "* * * * *", kind: "DISPATCH" },
  async ({ step, now, report, recoverSince }) => {
    const total = { ...emptyCounts(), details: { overlap: 0, buffered: 0, released: 0, catch_up_skipped: 0, raced: 0, resent: 0, errors: [] as { schedule_id: string; message: string }[] } };
    const summarise = () => {
      const { details, ...counts } = total;
      report({ counts, details });
    };
    // Waiting slots (overlap policy buffer_one) whose blocking run has ended are queued first, so the
    // batches below see them as active and the send steps hand them over with this tick's runs.
    const { released } = await step.run("release-buffered", () => releaseBufferedRuns(now));
    total.details.released = released;
    total.dispatched += released;
    let after: BatchCursor | null = null;
    for (let i = 0; ; i++) {
      const batch = await step.run(`dispatch-${i}`, () => dispatchBatch({ now, after }));
      addBatch(total, batch);
      summarise();
      if (!batch.cursor) break;
      after = batch.cursor;
    }
    let sent = 0;
    let from: SendCursor | null = null;
    for (let i = 0; ; i++) {
      const page = await step.run(`send-${i}`, () => sendQueuedRuns({ since: recoverSince ?? now, after: from }));
      sent += page.sent;
      // Sent beyond what this tick queued: runs of an earlier attempt or a dead tick.
      total.details.resent = Math.max(0, sent - total.dispatched);
      summarise();
      if (!page.cursor) break;
      from = page.cursor;
    }
  },
);
