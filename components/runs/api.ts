// Client-side access to the runs API; responses are parsed with the API's own zod schemas.
import { z } from "zod";
import { request } from "@/components/schedules/api";
import { bulkReplayResultSchema, replayResultSchema } from "@/lib/runs/replay-schemas";
import { runListSchema, runSchema, type RunDto } from "@/lib/runs/schemas";

export type RunStatusFilter = RunDto["status"] | "";
export type RunPage = z.infer<typeof runListSchema>;

export const runKeys = {
  /** every runs query of a schedule: the history list and the charts */
  schedule: (scheduleId: string) => ["runs", scheduleId] as const,
  list: (scheduleId: string, status: RunStatusFilter) => ["runs", scheduleId, "list", status] as const,
  chart: (scheduleId: string) => ["runs", scheduleId, "chart"] as const,
  one: (runId: string) => ["run", runId] as const,
};

export const CHART_RUNS = 30;
/** how often a page with a queued or running run asks again */
export const POLL_MS = 2_000;
const enc = encodeURIComponent;

export function fetchRuns(scheduleId: string, q: { status?: RunStatusFilter; cursor?: string | null; limit?: number }) {
  const qs = new URLSearchParams();
  if (q.status) qs.set("status", q.status);
  if (q.cursor) qs.set("cursor", q.cursor);
  if (q.limit) qs.set("limit", String(q.limit));
  return request(`/api/scheduled-reviews/${enc(scheduleId)}/runs?${qs}`, { cache: "no-store" }, runListSchema);
}

export const fetchRun = (runId: string) => request(`/api/runs/${enc(runId)}`, { cache: "no-store" }, runSchema);

export const startRun = (scheduleId: string) =>
  request(`/api/scheduled-reviews/${enc(scheduleId)}/run-now`, { method: "POST" }, z.object({ run: runSchema })).then((r) => r.run);

export const replayRun = (runId: string) =>
  request(`/api/runs/${enc(runId)}/replay`, { method: "POST" }, replayResultSchema).then((r) => r.run);

export const replayFailedRuns = (scheduleId: string, range: { from: string; to: string }) =>
  request(
    `/api/scheduled-reviews/${enc(scheduleId)}/replay-failed`,
    { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(range) },
    bulkReplayResultSchema,
  );
