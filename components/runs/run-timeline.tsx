import { RunTime } from "@/components/runs/time";
import type { RunDto } from "@/lib/runs/schemas";

type Step = { key: string; label: string; at: string | null; state: "done" | "current" | "failed" | "pending" };

/** queued -> running -> completed | failed | skipped, each with its time once reached. */
export function runSteps(run: RunDto): Step[] {
  const finished = run.status === "completed" || run.status === "failed" || run.status === "skipped";
  const end: Step =
    run.status === "failed"
      ? { key: "failed", label: "Failed", at: run.completed_at, state: "failed" }
      : run.status === "skipped"
        ? { key: "skipped", label: "Skipped", at: run.completed_at, state: "done" }
        : { key: "completed", label: "Completed", at: run.completed_at, state: run.status === "completed" ? "done" : "pending" };
  const steps: Step[] = [{ key: "queued", label: "Queued", at: run.queued_at, state: run.status === "queued" ? "current" : "done" }];
  // A skipped run never started; a failed one may have failed before it started.
  if (run.status !== "skipped")
    steps.push({
      key: "running",
      label: "Running",
      at: run.started_at,
      state: run.status === "running" ? "current" : run.started_at || (finished && run.status !== "failed") ? "done" : "pending",
    });
  steps.push(end);
  return steps;
}

const DOT: Record<Step["state"], string> = {
  done: "bg-emerald-600 border-emerald-600",
  current: "bg-sky-500 border-sky-500 animate-pulse",
  failed: "bg-red-600 border-red-600",
  pending: "bg-white border-slate-300",
};
const STATE_TEXT: Record<Step["state"], string> = { done: "done", current: "in progress", failed: "failed", pending: "not yet" };

export function RunTimeline({ run }: { run: RunDto }) {
  return (
    <ol className="flex flex-col gap-4 sm:flex-row sm:gap-0" aria-label="Status timeline" data-testid="run-timeline">
      {runSteps(run).map((s, i, all) => (
        <li key={s.key} className="flex flex-1 items-start gap-3 sm:flex-col sm:gap-2" data-state={s.state}>
          <div className="flex items-center sm:w-full">
            <span className={`h-4 w-4 shrink-0 rounded-full border-2 ${DOT[s.state]}`} aria-hidden="true" />
            {i < all.length - 1 && <span className="hidden h-0.5 flex-1 bg-slate-200 sm:block" aria-hidden="true" />}
          </div>
          <div className="text-sm">
            <div className={`font-medium ${s.state === "failed" ? "text-red-700" : s.state === "pending" ? "text-slate-400" : "text-slate-900"}`}>
              {s.label} <span className="sr-only">({STATE_TEXT[s.state]})</span>
            </div>
            <div className="text-xs text-slate-600">{s.at ? <RunTime iso={s.at} seconds /> : s.state === "current" ? "in progress" : ""}</div>
          </div>
        </li>
      ))}
    </ol>
  );
}
