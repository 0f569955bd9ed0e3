// Client-side access to the runs API; responses are parsed with the API's own zod schemas, loaded on
// the first request (not with the page; see components/schedules/api.ts).
import type { z } from "zod";
import { request } from "@/components/schedules/api";
import type { runListSchema, RunDto } from "@/lib/runs/schemas";

const runContract = () => import("@/lib/runs/schemas");
const replayContract = () => import("@/lib/runs/replay-schemas");

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
  return request(`/api/scheduled-reviews/${enc(scheduleId)}/runs?${qs}`, { cache: "no-store" }, async () => (await runContract()).runListSchema);
}

export const fetchRun = (runId: string) => request(`/api/runs/${enc(runId)}`, { cache: "no-store" }, async () => (await runContract()).runSchema);

export const startRun = (scheduleId: string) =>
  request(`/api/scheduled-reviews/${enc(scheduleId)}/run-now`, { method: "POST" }, async () => (await runContract()).runNowResultSchema).then((r) => r.run);

export const replayRun = (runId: string) =>
  request(`/api/runs/${enc(runId)}/replay`, { method: "POST" }, async () => (await replayContract()).replayResultSchema).then((r) => r.run);

export const replayFailedRuns = (scheduleId: string, range: { from: string; to: string }) =>
  request(
    `/api/scheduled-reviews/${enc(scheduleId)}/replay-failed`,
    { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(range) },
    async () => (await replayContract()).bulkReplayResultSchema,
  );
