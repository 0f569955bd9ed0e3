"use client";
import { useMemo, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { formatAmount } from "@/components/runs/format";
import { SeverityBadge } from "@/components/analysis/severity-badge";
import { SEVERITY_VALUES } from "@/lib/runs/analysis-constants";
import type { FindingDto } from "@/lib/runs/analysis-schemas";

type Key = "deal_name" | "amount" | "stage" | "rule_label" | "severity" | "message";
type Sort = { key: Key | null; dir: "asc" | "desc" };
/** rows shown before "Show all": the riskiest (or first sorted) ones, at a glance */
export const FIRST_ROWS = 50;

const COLUMNS: { key: Key; label: string; numeric?: boolean }[] = [
  { key: "deal_name", label: "Deal" },
  { key: "amount", label: "Amount", numeric: true },
  { key: "stage", label: "Stage" },
  { key: "rule_label", label: "Rule" },
  { key: "severity", label: "Severity" },
  { key: "message", label: "Message" },
];

function compare(a: FindingDto, b: FindingDto, key: Key): number {
  if (key === "severity") return SEVERITY_VALUES.indexOf(a.severity) - SEVERITY_VALUES.indexOf(b.severity);
  if (key === "amount") return (a.amount ?? -Infinity) - (b.amount ?? -Infinity);
  return (a[key] ?? "").localeCompare(b[key] ?? "");
}

/**
 * Findings, high-risk deals first as the API orders them; a column header sorts by that column
 * (again to reverse). Headers are buttons, so the table sorts from the keyboard too.
 */
export function FindingsTable({ findings, total }: { findings: FindingDto[]; total: number }) {
  const [sort, setSort] = useState<Sort>({ key: null, dir: "asc" });
  const [showAll, setShowAll] = useState(false);
  const rows = useMemo(() => {
    if (!sort.key) return findings;
    const sign = sort.dir === "asc" ? 1 : -1;
    return [...findings].sort((a, b) => sign * compare(a, b, sort.key!));
  }, [findings, sort]);

  if (!findings.length) return <p className="text-sm text-slate-600">No issues found: every deal passed every rule.</p>;
  const toggle = (key: Key) =>
    setSort((s) => (s.key === key ? { key, dir: s.dir === "asc" ? "desc" : "asc" } : { key, dir: key === "amount" || key === "severity" ? "desc" : "asc" }));

  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center justify-between gap-2 text-sm text-slate-600">
        <span>
          {sort.key ? `Sorted by ${COLUMNS.find((c) => c.key === sort.key)!.label.toLowerCase()} (${sort.dir === "asc" ? "ascending" : "descending"})` : "High-risk deals first"}
          {total > findings.length && ` · showing the ${findings.length} most severe of ${total}`}
        </span>
        {sort.key && (
          <button className="text-indigo-700 underline" onClick={() => setSort({ key: null, dir: "asc" })}>Show high-risk deals first</button>
        )}
      </div>
      <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white" tabIndex={0} role="region" aria-label="Findings">
        <table className="w-full min-w-[880px] text-sm" data-testid="findings">
          <thead className="bg-slate-50">
            <tr>
              {COLUMNS.map((c) => (
                <th
                  key={c.key}
                  scope="col"
                  aria-sort={sort.key === c.key ? (sort.dir === "asc" ? "ascending" : "descending") : "none"}
                  className={`px-3 py-2 text-xs font-semibold uppercase tracking-wide text-slate-600 ${c.numeric ? "text-right" : "text-left"}`}
                >
                  <button type="button" onClick={() => toggle(c.key)} className="inline-flex items-center gap-1 uppercase hover:text-indigo-700">
                    {c.label}
                    <span aria-hidden="true">{sort.key === c.key ? (sort.dir === "asc" ? "▲" : "▼") : "↕"}</span>
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {(showAll ? rows : rows.slice(0, FIRST_ROWS)).map((f) => (
              <tr key={f.id} data-testid="finding-row" className={f.high_risk ? "bg-red-50/40" : undefined}>
                <td className="px-3 py-2 align-top">
                  <span className="font-medium">{f.deal_name}</span>
                  {f.high_risk && <Badge tone="red" className="ml-2 whitespace-nowrap">High risk</Badge>}
                </td>
                <td className="whitespace-nowrap px-3 py-2 text-right align-top tabular-nums">{formatAmount(f.amount)}</td>
                <td className="px-3 py-2 align-top">{f.stage ?? "—"}</td>
                <td className="px-3 py-2 align-top">{f.rule_label}</td>
                <td className="px-3 py-2 align-top"><SeverityBadge severity={f.severity} /></td>
                <td className="px-3 py-2 align-top text-slate-700">{f.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {!showAll && rows.length > FIRST_ROWS && (
        <div className="flex justify-center">
          <Button variant="secondary" onClick={() => setShowAll(true)}>Show all {rows.length} findings</Button>
        </div>
      )}
    </div>
  );
}
