import { SEVERITY_LABEL, SEVERITY_TONE } from "@/components/analysis/severity-badge";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { formatCount } from "@/components/runs/format";
import { SEVERITY_VALUES, type AnalysisDto } from "@/lib/runs/analysis-schemas";

/** Counts by severity and by rule; each rule's bar is its share of all findings. */
export function AnalysisCounts({ analysis }: { analysis: AnalysisDto }) {
  const max = Math.max(1, ...analysis.counts_by_rule.map((r) => r.count));
  return (
    <div className="grid gap-4 md:grid-cols-2">
      <Card title="By severity">
        <ul className="space-y-2" data-testid="counts-by-severity">
          {[...SEVERITY_VALUES].reverse().map((s) => (
            <li key={s} className="flex items-center justify-between gap-2 text-sm">
              <Badge tone={SEVERITY_TONE[s]}>{SEVERITY_LABEL[s]}</Badge>
              <span className="font-semibold tabular-nums">{formatCount(analysis.counts_by_severity[s])}</span>
            </li>
          ))}
        </ul>
      </Card>
      <Card title="By rule">
        {analysis.counts_by_rule.length === 0 ? (
          <p className="text-sm text-slate-600">No rule found an issue.</p>
        ) : (
          <ul className="space-y-2" data-testid="counts-by-rule">
            {analysis.counts_by_rule.map((r) => (
              <li key={r.rule} className="text-sm">
                <div className="flex justify-between gap-2">
                  <span>{r.label}</span>
                  <span className="font-semibold tabular-nums">{formatCount(r.count)}</span>
                </div>
                <div className="mt-1 h-1.5 rounded bg-slate-100" aria-hidden="true">
                  <div className="h-1.5 rounded bg-indigo-500" style={{ width: `${(100 * r.count) / max}%` }} />
                </div>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
