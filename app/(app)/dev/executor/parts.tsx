import { formatDuration } from "@/components/runs/format";
import { HeaderRow } from "@/components/ui/header-row";
import { stepDurationMs, type ExecutorRun, type ExecutorStep } from "@/lib/executor-inspector";

const STATUS_STYLE: Record<ExecutorRun["status"] | ExecutorStep["status"], string> = {
  completed: "bg-green-100 text-green-800",
  failed: "bg-red-100 text-red-800",
  cancelled: "bg-slate-200 text-slate-700",
  running: "bg-blue-100 text-blue-800",
  retrying: "bg-amber-100 text-amber-800",
};

export function StatusPill({ status }: { status: keyof typeof STATUS_STYLE }) {
  return <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${STATUS_STYLE[status]}`} data-testid="executor-status">{status}</span>;
}

export const clock = (iso: string) => new Date(iso).toISOString().slice(11, 23);

function Json({ value }: { value: unknown }) {
  if (value === undefined) return <span className="text-slate-400">—</span>;
  return <pre className="max-h-40 max-w-xl overflow-auto whitespace-pre-wrap break-all rounded bg-slate-50 p-2 text-xs">{JSON.stringify(value, null, 2)}</pre>;
}

/** Each attempt's start and length, and the wait before the next one (Inngest's backoff). */
function Attempts({ step }: { step: ExecutorStep }) {
  return (
    <ol className="space-y-0.5 text-xs text-slate-600">
      {step.attempts.map((a, i) => {
        const prev = step.attempts[i - 1];
        const wait = prev ? Date.parse(a.startedAt) - Date.parse(prev.endedAt) : null;
        return (
          <li key={i} data-testid="step-attempt">
            {wait !== null && <span className="text-amber-700">waited {formatDuration(wait)} · </span>}
            #{a.attempt + 1} at {clock(a.startedAt)} for {formatDuration(Date.parse(a.endedAt) - Date.parse(a.startedAt))}
            {a.error && <span className="text-red-700"> · {a.error}</span>}
          </li>
        );
      })}
      {step.nextRetryAt && <li className="text-amber-700">next attempt at {clock(step.nextRetryAt)}</li>}
    </ol>
  );
}

export function StepsTable({ steps }: { steps: ExecutorStep[] }) {
  if (steps.length === 0) return <p className="text-sm text-slate-500">No step has finished yet.</p>;
  return (
    <table className="w-full text-left text-sm">
      <thead className="text-xs uppercase text-slate-500">
        <HeaderRow columns={["Step", "Status", "Attempts", "Duration", "Output or error"]} cellClassName="py-1 pr-3" />
      </thead>
      <tbody>
        {steps.map((s) => (
          <tr key={s.id} className="border-t border-slate-100 align-top" data-testid="executor-step">
            <td className="py-2 pr-3 font-mono text-xs">{s.name}</td>
            <td className="py-2 pr-3"><StatusPill status={s.status} /></td>
            <td className="py-2 pr-3">
              <div className="font-medium" data-testid="step-attempts">{s.attempts.length}</div>
              <Attempts step={s} />
            </td>
            <td className="py-2 pr-3 whitespace-nowrap">{formatDuration(stepDurationMs(s))}</td>
            <td className="py-2"><Json value={s.status === "completed" ? s.output : s.error} /></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function EventBlock({ run }: { run: ExecutorRun }) {
  return (
    <div className="text-sm">
      <div>
        <span className="font-mono text-xs">{run.event.name}</span> <span className="text-xs text-slate-500">id {run.event.id}</span>
      </div>
      <Json value={run.event.data} />
    </div>
  );
}
