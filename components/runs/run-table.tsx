import Link from "next/link";
import { formatCount, formatDuration } from "@/components/runs/format";
import { HealthScore } from "@/components/runs/health-score";
import { RunStatusBadge } from "@/components/runs/status-badge";
import { RunTime } from "@/components/runs/time";
import type { RunDto } from "@/lib/runs/schemas";

const TRIGGER_LABEL: Record<RunDto["trigger"], string> = { scheduled: "Scheduled", manual: "Manual", repair: "Repair", replay: "Replay" };
const th = "whitespace-nowrap px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-600";
const td = "whitespace-nowrap px-3 py-2 align-top";

/** The run history table; narrow screens scroll it sideways rather than squeeze it. */
export function RunTable({ runs }: { runs: RunDto[] }) {
  return (
    <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white" tabIndex={0} role="region" aria-label="Runs">
      <table className="min-w-[960px] w-full text-sm">
        <thead className="bg-slate-50">
          <tr>
            <th className={th}>Status</th>
            <th className={th}>Trigger</th>
            <th className={th}>Slot</th>
            <th className={th}>Started</th>
            <th className={`${th} text-right`}>Duration</th>
            <th className={`${th} text-right`}>Deals</th>
            <th className={`${th} text-right`}>Health</th>
            <th className={`${th} text-right`}>Issues</th>
            <th className={`${th} text-right`}>High-risk</th>
            <th className={th}>Error</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {runs.map((r) => (
            <tr key={r.id} data-testid="run-row" data-run-id={r.id} className="hover:bg-slate-50">
              <td className={td}>
                <Link href={`/runs/${r.id}`} className="rounded focus-visible:outline-2 focus-visible:outline-indigo-600" aria-label={`Run ${r.id}`}>
                  <RunStatusBadge status={r.status} />
                </Link>
              </td>
              <td className={td}>{TRIGGER_LABEL[r.trigger]}</td>
              <td className={td}><RunTime iso={r.scheduled_for} year={false} /></td>
              <td className={td}><RunTime iso={r.started_at} seconds year={false} /></td>
              <td className={`${td} text-right tabular-nums`}>{formatDuration(r.duration_ms)}</td>
              <td className={`${td} text-right tabular-nums`}>{formatCount(r.deals_analyzed)}</td>
              <td className={`${td} text-right`}><HealthScore score={r.health_score} /></td>
              <td className={`${td} text-right tabular-nums`}>{formatCount(r.issues_found)}</td>
              <td className={`${td} text-right tabular-nums`}>{formatCount(r.high_risk_deals)}</td>
              <td className={`${td} ${r.status === "failed" ? "text-red-700" : "text-slate-600"}`} data-testid="run-error">
                {/* a block with a min width: table cells ignore min-width, and the message must wrap, not clip */}
                <div className="min-w-48 max-w-md whitespace-normal break-words">
                  {r.status === "failed" || r.status === "skipped" ? (r.error_message ?? r.error_code ?? "") : ""}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
