import type { ScheduleDescription } from "@/lib/schedules/describe";
import type { ScheduleDto } from "@/lib/schedules/schemas";

const OVERLAP_TEXT = {
  skip: "skip a slot while the previous run is active",
  buffer_one: "keep the newest waiting slot and run it when the previous run ends",
  allow: "run concurrently",
} as const;

const windowText = (minutes: number) => (minutes % 1440 === 0 ? `${minutes / 1440} day${minutes === 1440 ? "" : "s"}` : `${minutes} minutes`);

/** Policies, missed and skipped slot counts and the next 10 runs (as Temporal's schedule describe). */
export function PolicyPanel({ schedule: s, description: d }: { schedule: ScheduleDto; description: ScheduleDescription }) {
  return (
    <section aria-labelledby="policies-title" className="space-y-2 rounded-lg border border-slate-200 bg-white p-4 text-sm shadow-sm">
      <h2 id="policies-title" className="text-lg font-semibold">Policies and slots</h2>
      <p>Overlap: <strong>{s.overlap_policy}</strong> ({OVERLAP_TEXT[s.overlap_policy]}).</p>
      <p>
        Catch-up after downtime: <strong>{s.catch_up_policy === "run_once" ? "run once" : "skip"}</strong>, within {windowText(s.catch_up_window_minutes)}
        {" "}(older missed slots are counted, not run).
      </p>
      <p data-testid="auto-pause-policy">
        Auto-pause: {s.auto_pause_after_failures
          ? <strong>after {s.auto_pause_after_failures} consecutive failed run{s.auto_pause_after_failures === 1 ? "" : "s"}</strong>
          : <strong>off</strong>}.
      </p>
      <p data-testid="slot-counts">
        Missed slots: <strong>{d.missed}</strong> · skipped (overlap): <strong>{d.skipped}</strong>
        {d.waiting > 0 && <> · waiting for the current run: <strong>{d.waiting}</strong></>}
      </p>
      {d.next.length > 0 && (
        <div>
          <h3 className="font-medium">Next {d.next.length} runs</h3>
          <ol className="mt-1 grid gap-x-4 text-slate-700 sm:grid-cols-2" data-testid="next-10-runs">
            {d.next.map((r) => <li key={r.utc}>{r.local}</li>)}
          </ol>
        </div>
      )}
    </section>
  );
}
