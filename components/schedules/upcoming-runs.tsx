import Link from "next/link";
import type { UpcomingDto, UpcomingRunDto } from "@/lib/schedules/upcoming-schemas";
import { Badge } from "@/components/ui/badge";
import { LocalTime } from "@/components/schedules/local-time";

const SHOWN = 15;

function Row({ run }: { run: UpcomingRunDto }) {
  return (
    <li className="flex flex-wrap items-baseline gap-x-3 gap-y-1 py-2 text-sm" data-testid="upcoming-run" data-dst={run.dst?.kind ?? ""}>
      <span className="w-full font-medium sm:w-60">
        <LocalTime iso={run.utc} />
        <span className="block text-xs font-normal text-slate-500">{run.local} · {run.timezone}</span>
      </span>
      <Link href={`/schedule/${run.schedule_id}`} className="min-w-0 break-words text-indigo-700 hover:underline">{run.schedule_name}</Link>
      {run.dst && (
        <span className="w-full sm:w-auto">
          <Badge tone="amber">DST</Badge> <span className="text-xs text-amber-900">{run.dst.note}</span>
        </span>
      )}
    </li>
  );
}

/** Every active schedule's runs in the next days, soonest first; runs a DST change moved are marked. */
export function UpcomingRuns({ upcoming, days }: { upcoming: UpcomingDto; days: number }) {
  const [first, rest] = [upcoming.data.slice(0, SHOWN), upcoming.data.slice(SHOWN)];
  return (
    <section aria-labelledby="upcoming-title" className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="upcoming-title" className="text-lg font-semibold">Upcoming runs</h2>
        <span className="text-xs text-slate-500">
          Next {days} days · {upcoming.data.length}{upcoming.truncated ? "+" : ""} runs ·{" "}
          <a href={`/api/scheduled-reviews/upcoming?days=${days}`} className="underline">JSON</a>
        </span>
      </div>
      {upcoming.data.length === 0 ? (
        <p className="mt-2 text-sm text-slate-600">No runs in the next {days} days: every schedule is paused, or none is due yet.</p>
      ) : (
        <ol className="mt-2 divide-y divide-slate-100">
          {first.map((run) => <Row key={`${run.schedule_id}-${run.utc}`} run={run} />)}
          {rest.length > 0 && (
            <li className="py-2 text-sm">
              <details>
                <summary className="cursor-pointer text-indigo-700">Show {rest.length} more</summary>
                <ol className="divide-y divide-slate-100">
                  {rest.map((run) => <Row key={`${run.schedule_id}-${run.utc}`} run={run} />)}
                </ol>
              </details>
            </li>
          )}
        </ol>
      )}
    </section>
  );
}
