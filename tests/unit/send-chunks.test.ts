// One send page (up to 5,000 queued runs) is split into Inngest requests under its request limits:
// <= SEND_MAX_BYTES of JSON and <= SEND_MAX_EVENTS events per request, every event once, in order.
import { describe, expect, test } from "vitest";
import { reviewRunRequested } from "@/inngest/events";
import { chunkEvents, SEND_BATCH, SEND_MAX_BYTES, SEND_MAX_EVENTS } from "@/lib/scheduler/send-queued";

const runEvent = (i: number) => {
  const id = `c${i.toString(16).padStart(24, "0")}`;
  return reviewRunRequested.create({ runId: id, scheduleId: `cm${i.toString().padStart(23, "0")}`, ownerId: `org_${i % 97}_owner_with_a_long_id` }, { id });
};
const bytes = (x: unknown) => Buffer.byteLength(JSON.stringify(x));

describe("chunkEvents", () => {
  test("a full page of run events is split into requests under the byte cap", () => {
    const events = Array.from({ length: SEND_BATCH }, (_, i) => runEvent(i));
    expect(bytes(events)).toBeGreaterThan(SEND_MAX_BYTES); // the page alone would be refused
    const chunks = chunkEvents(events);
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) {
      expect(bytes(c)).toBeLessThanOrEqual(SEND_MAX_BYTES);
      expect(c.length).toBeLessThanOrEqual(SEND_MAX_EVENTS);
    }
    expect(chunks.flat()).toEqual(events);
  });

  test("the event count is capped too", () => {
    const chunks = chunkEvents(Array.from({ length: 12 }, (_, i) => i), 1_000_000, 5);
    expect(chunks.map((c) => c.length)).toEqual([5, 5, 2]);
  });

  test("no events, no requests", () => {
    expect(chunkEvents([])).toEqual([]);
  });
});
