import Link from "next/link";
import { SeverityBadge } from "@/components/analysis/severity-badge";
import { Card } from "@/components/ui/card";
import type { AnalysisChangeDto, IssueChangeDto } from "@/lib/runs/analysis-schemas";

/** "▲ up 3" / "▼ down 6" / "no change": the arrow is decoration, the words carry the direction. */
export function HealthDelta({ delta }: { delta: number }) {
  if (delta === 0) return <span className="text-slate-600" data-testid="health-delta">± no change</span>;
  const up = delta > 0;
  return (
    <span className={up ? "text-emerald-700" : "text-red-700"} data-testid="health-delta">
      <span aria-hidden="true">{up ? "▲" : "▼"} </span>
      {up ? "up" : "down"} {Math.abs(delta)}
    </span>
  );
}

function IssueList({ title, count, items, testId }: { title: string; count: number; items: IssueChangeDto[]; testId: string }) {
  return (
    <div className="min-w-0">
      <h3 className="text-sm font-semibold">
        {title}: <span data-testid={testId}>{count}</span>
      </h3>
      {items.length > 0 && (
        <ul className="mt-2 space-y-1 text-sm">
          {items.map((i) => (
            <li key={`${i.deal_id}:${i.rule}`} className="flex flex-wrap items-center gap-2">
              <SeverityBadge severity={i.severity} />
              <span className="font-medium">{i.deal_name}</span>
              <span className="text-slate-600">· {i.rule_label}</span>
            </li>
          ))}
          {count > items.length && <li className="text-slate-500">… and {count - items.length} more</li>}
        </ul>
      )}
    </div>
  );
}

export function AnalysisChange({ change }: { change: AnalysisChangeDto | null }) {
  return (
    <Card title="Since the previous run">
      {!change ? (
        <p className="text-sm text-slate-600">This is the schedule&apos;s first completed run: nothing to compare with yet.</p>
      ) : (
        <div className="space-y-4">
          <p className="text-sm">
            Health <HealthDelta delta={change.health_delta} /> (from {change.previous_health_score})
            {change.previous_run_id && (
              <>
                {" · "}
                <Link href={`/runs/${change.previous_run_id}`} className="text-indigo-700 hover:underline">previous run</Link>
              </>
            )}
          </p>
          <div className="grid gap-4 md:grid-cols-2">
            <IssueList title="New issues" count={change.new_issues_count} items={change.new_issues} testId="new-issues" />
            <IssueList title="Resolved issues" count={change.resolved_issues_count} items={change.resolved_issues} testId="resolved-issues" />
          </div>
        </div>
      )}
    </Card>
  );
}
