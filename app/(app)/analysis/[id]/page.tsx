import Link from "next/link";
import { AnalysisChange } from "@/components/analysis/analysis-change";
import { AnalysisCounts } from "@/components/analysis/analysis-counts";
import { FindingsTable } from "@/components/analysis/findings-table";
import { formatAmount, formatCount } from "@/components/runs/format";
import { HealthScore } from "@/components/runs/health-score";
import { Metric, Metrics } from "@/components/runs/metric";
import { readRoute } from "@/app/(app)/page-glue";
import { RunTime } from "@/components/runs/time";
import { Card } from "@/components/ui/card";
import { getAnalysis } from "@/lib/runs/queries";

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props) {
  return { title: `Analysis · ${(await readRoute(getAnalysis, params)).schedule_name} · Revwatch` };
}

export default async function AnalysisPage({ params }: Props) {
  const a = await readRoute(getAnalysis, params);
  return (
    <div className="space-y-6">
      <nav className="flex flex-wrap gap-x-4 text-sm" aria-label="Related">
        <Link href={`/schedule/${a.schedule_id}/history`} className="text-indigo-700 hover:underline">← Run history{a.schedule_name && ` of ${a.schedule_name}`}</Link>
        {a.run_id && <Link href={`/runs/${a.run_id}`} className="text-indigo-700 hover:underline">The run</Link>}
      </nav>
      <div>
        <h1 className="text-2xl font-semibold">Pipeline analysis</h1>
        <p className="text-sm text-slate-600">
          {a.schedule_name} · <RunTime iso={a.created_at} />
        </p>
      </div>

      <Card title="Pipeline health">
        <HealthScore score={a.health_score} size="lg" />
      </Card>

      <Metrics>
        <Metric label="Deals analysed" testId="metric-deals">{formatCount(a.deals_analyzed)}</Metric>
        <Metric label="Issues" testId="metric-issues">{formatCount(a.issues_found)}</Metric>
        <Metric label="High-risk deals" testId="metric-high-risk">{formatCount(a.high_risk_deals)}</Metric>
        <Metric label="Pipeline amount">{formatAmount(a.total_amount)}</Metric>
      </Metrics>

      <AnalysisChange change={a.change} />
      <AnalysisCounts analysis={a} />

      <section aria-labelledby="findings-heading" className="space-y-2">
        <h2 id="findings-heading" className="text-lg font-semibold">Findings</h2>
        <FindingsTable findings={a.findings} total={a.findings_total} />
      </section>
    </div>
  );
}
