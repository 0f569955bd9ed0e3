import { z } from "zod";
import { runSchema } from "@/lib/runs/schemas";

// Contract of the replay endpoints (snake_case JSON), shared by the routes, the OpenAPI and the UI.

/** At most this many failed runs are replayed by one bulk request (the rest: call again). */
export const MAX_BULK_REPLAY = 100;
const MAX_RANGE_DAYS = 366;

export const replayResultSchema = z.object({ run: runSchema });

export const bulkReplayBodySchema = z
  .strictObject({
    from: z.iso.datetime({ offset: true }).describe("start of the range of slots (scheduled_for), inclusive"),
    to: z.iso.datetime({ offset: true }).describe("end of the range of slots, exclusive"),
  })
  .refine((b) => Date.parse(b.from) < Date.parse(b.to), { message: "from must be before to", path: ["to"] })
  .refine((b) => Date.parse(b.to) - Date.parse(b.from) <= MAX_RANGE_DAYS * 864e5, { message: `the range may span at most ${MAX_RANGE_DAYS} days`, path: ["to"] });

export const bulkReplayResultSchema = z.object({
  replayed: z.number().describe("failed runs re-queued by this request"),
  remaining: z.number().describe(`failed runs left in the range (more than ${MAX_BULK_REPLAY} per request): call again`),
  runs: z.array(runSchema),
});
export type BulkReplayResult = z.infer<typeof bulkReplayResultSchema>;
