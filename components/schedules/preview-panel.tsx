"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { ApiRequestError, errorMessage, fetchPreview, scheduleKeys } from "@/components/schedules/api";
import { useDebounced } from "@/components/schedules/hooks";
import { Badge } from "@/components/ui/badge";

/** The live next-runs preview for a cron + zone, refetched once typing pauses. */
export function usePreview(cron: string, timezone: string) {
  const input = { cron: useDebounced(cron.trim(), 350), timezone: useDebounced(timezone, 350) };
  const query = useQuery({
    queryKey: scheduleKeys.preview(input.cron, input.timezone),
    queryFn: ({ signal }) => fetchPreview(input.cron, input.timezone, signal),
    enabled: input.cron !== "" && input.timezone !== "",
    placeholderData: keepPreviousData,
    retry: (count, err) => !(err instanceof ApiRequestError && err.status < 500) && count < 2,
    staleTime: 60_000,
  });
  // Validation problems belong under the field they concern (cron or zone), not in the panel.
  const issues = query.error instanceof ApiRequestError && query.error.status === 400 ? query.error.details : [];
  return { query, issues, settled: input.cron === cron.trim() && input.timezone === timezone };
}

const offsetOf = (iso: string) => /([+-]\d{2}:\d{2})$/.exec(iso)?.[1] ?? "+00:00";

export function PreviewPanel({ preview }: { preview: ReturnType<typeof usePreview> }) {
  const { query, issues, settled } = preview;
  const data = query.isError ? undefined : query.data;
  return (
    <section aria-labelledby="preview-title" aria-busy={query.isFetching || !settled} className="rounded-lg border border-slate-200 bg-slate-50 p-4">
      <h3 id="preview-title" className="text-sm font-semibold">Next 5 runs</h3>
      {query.isError ? (
        <p className="mt-2 text-sm text-red-700">
          {issues.length ? "Fix the schedule above to see its next runs." : `Couldn't load the preview: ${errorMessage(query.error)}`}
        </p>
      ) : !data ? (
        <p className="mt-2 text-sm text-slate-600">{query.isFetching ? "Calculating next runs…" : "Pick a preset or enter a cron expression."}</p>
      ) : (
        <div className={query.isFetching || !settled ? "opacity-60" : ""}>
          <p className="mt-1 text-sm text-slate-700" data-testid="preview-description">
            {data.schedule_description} · {data.timezone}
          </p>
          <ol className="mt-3 space-y-2" data-testid="preview-runs">
            {data.next_runs.map((run) => (
              <li key={run.utc} className="rounded-md bg-white p-2 text-sm shadow-sm" data-dst={run.dst?.kind}>
                <span className="font-medium">{run.local}</span>{" "}
                <span className="whitespace-nowrap text-slate-500">UTC{offsetOf(run.at)}</span>
                {run.dst && (
                  <span className="mt-1 flex items-start gap-2 text-xs text-amber-900">
                    <Badge tone="amber">DST</Badge>
                    <span>{run.dst.note}</span>
                  </span>
                )}
              </li>
            ))}
          </ol>
          <p className="mt-3 text-xs text-slate-500">
            {data.fixed_time
              ? "Daylight saving: a time skipped when clocks go forward runs right after the gap; a time that happens twice runs once."
              : "Daylight saving: interval schedules follow real elapsed time, so a day when clocks change has fewer or more runs."}
          </p>
        </div>
      )}
    </section>
  );
}
