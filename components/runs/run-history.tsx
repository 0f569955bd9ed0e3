"use client";
import { useInfiniteQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/card";
import { errorMessage } from "@/components/schedules/api";
import { fetchRuns, POLL_MS, runKeys, type RunPage, type RunStatusFilter } from "@/components/runs/api";
import { isActive } from "@/components/runs/format";
import { ReplayFailedButton } from "@/components/runs/replay-failed-button";
import { RunNowButton } from "@/components/runs/run-now-button";
import { RunTable } from "@/components/runs/run-table";
import { RUN_STATUSES } from "@/lib/schedules/constants";

const PAGE_SIZE = 20;
const FILTER_LABEL: Record<RunStatusFilter, string> = {
  "": "All statuses", queued: "Queued", running: "Running", completed: "Completed", failed: "Failed", skipped: "Skipped",
};

/**
 * The history list. The server renders the first page; this keeps it current: it polls only while
 * a run on the page is queued or running, so an idle history costs no requests.
 */
export function RunHistory({ scheduleId, initialStatus, initialPage }: { scheduleId: string; initialStatus: RunStatusFilter; initialPage: RunPage }) {
  const [status, setStatus] = useState<RunStatusFilter>(initialStatus);
  const qc = useQueryClient();
  const query = useInfiniteQuery({
    queryKey: runKeys.list(scheduleId, status),
    queryFn: ({ pageParam }) => fetchRuns(scheduleId, { status, cursor: pageParam, limit: PAGE_SIZE }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
    initialData: status === initialStatus ? { pages: [initialPage], pageParams: [null] } : undefined,
    refetchInterval: (q) =>
      q.state.status !== "error" && q.state.data?.pages.some((p) => p.data.some((r) => isActive(r.status))) ? POLL_MS : false,
  });
  const runs = query.data?.pages.flatMap((p) => p.data) ?? [];
  const active = runs.some((r) => isActive(r.status));

  // A run just finished: the charts (another query of this schedule) have a new point.
  useEffect(() => {
    if (!active) void qc.invalidateQueries({ queryKey: runKeys.chart(scheduleId) });
  }, [active, qc, scheduleId]);

  function changeStatus(next: RunStatusFilter) {
    setStatus(next);
    const url = new URL(window.location.href);
    if (next) url.searchParams.set("status", next);
    else url.searchParams.delete("status");
    window.history.replaceState(null, "", url);
  }

  return (
    <section aria-labelledby="runs-heading" className="space-y-3">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h2 id="runs-heading" className="text-lg font-semibold">Runs</h2>
        <div className="flex flex-wrap items-end gap-3">
          <label className="flex flex-col text-sm text-slate-700">
            Status
            <select
              value={status}
              onChange={(e) => changeStatus(e.target.value as RunStatusFilter)}
              className="mt-1 rounded-md border border-slate-300 bg-white px-2 py-2 text-sm"
            >
              {(["", ...RUN_STATUSES] as const).map((s) => (
                <option key={s} value={s}>{FILTER_LABEL[s]}</option>
              ))}
            </select>
          </label>
          <ReplayFailedButton scheduleId={scheduleId} />
          <RunNowButton scheduleId={scheduleId} />
        </div>
      </div>
      <p className="sr-only" aria-live="polite">{active ? "A run is in progress; this list updates itself." : ""}</p>
      {query.isError && !query.data ? (
        <div role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800">
          Could not load runs: {errorMessage(query.error)}{" "}
          <button className="underline" onClick={() => void query.refetch()}>Try again</button>
        </div>
      ) : query.isPending ? (
        <p className="text-sm text-slate-500" role="status">Loading runs…</p>
      ) : runs.length === 0 ? (
        <EmptyState title={status ? `No ${FILTER_LABEL[status].toLowerCase()} runs` : "No runs yet"}>
          {status ? "Choose another status to see more runs." : "Runs appear here when the schedule is due, or when you click Run now."}
        </EmptyState>
      ) : (
        <>
          <RunTable runs={runs} />
          {query.isError && <p role="alert" className="text-sm text-red-700">Refresh failed: {errorMessage(query.error)}</p>}
          {query.hasNextPage && (
            <div className="flex justify-center">
              <Button variant="secondary" onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>
                {query.isFetchingNextPage ? "Loading…" : "Load more"}
              </Button>
            </div>
          )}
        </>
      )}
    </section>
  );
}
