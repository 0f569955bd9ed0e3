"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { useToast } from "@/components/ui/toast";
import type { CoverageDto, RepairResultDto } from "@/lib/monitoring/schemas";

const REASON = {
  not_run: "not run",
  scheduler_down: "not run: scheduler down",
  failed: "run failed",
  skipped: "skipped (overlap)",
  collapsed: "missed in downtime (caught up once)",
} as const;
const when = (iso: string) => new Date(iso).toISOString().slice(0, 16).replace("T", " ") + " UTC";

async function repair(from: string, to: string): Promise<RepairResultDto> {
  const res = await fetch("/api/monitoring/coverage/repair", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ from, to }) });
  const body = await res.json();
  if (!res.ok) throw new Error(body?.error?.message ?? `Repair failed (${res.status})`);
  return body;
}

/** Coverage of the last 24 h with the missing slots, and Repair: one run per slot that never ran. */
export function CoveragePanel({ coverage }: { coverage: CoverageDto }) {
  const router = useRouter();
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const repairable = coverage.missing.filter((m) => m.reason === "not_run" || m.reason === "scheduler_down").length;
  const onRepair = async () => {
    setBusy(true);
    try {
      const r = await repair(coverage.from, coverage.to);
      toast(`Repair queued ${r.enqueued} run${r.enqueued === 1 ? "" : "s"}${r.skipped_by_policy ? `, ${r.skipped_by_policy} skipped by catch-up policy` : ""}${r.remaining ? `, ${r.remaining} left: repair again` : ""}`);
    } catch (err) {
      toast(err instanceof Error ? err.message : String(err), "error");
    } finally {
      setBusy(false);
      router.refresh();
    }
  };
  return (
    <Card
      title="Coverage (last 24 h)"
      actions={<Button onClick={onRepair} disabled={busy || repairable === 0} aria-busy={busy}>{busy ? "Repairing…" : "Repair"}</Button>}
    >
      <p className="text-sm">
        <Badge tone={coverage.status === "HEALTHY" ? "green" : "red"}>{coverage.status === "HEALTHY" ? "✓ HEALTHY" : "✗ NEEDS_ATTENTION"}</Badge>{" "}
        {coverage.coverage_pct !== null ? `${coverage.coverage_pct} %` : coverage.expected ? "every due slot is still running" : "nothing was due"} — {coverage.completed} of {coverage.expected} expected slots completed
        {coverage.pending ? `, ${coverage.pending} in progress` : ""}. Healthy at 95 % or more.
      </p>
      {coverage.missing_count === 0 ? (
        <p className="mt-2 text-sm text-slate-600">No missing slots.</p>
      ) : (
        <table className="mt-3 w-full text-left text-sm">
          <caption className="sr-only">Missing slots</caption>
          <thead className="text-xs uppercase text-slate-500"><tr><th className="py-1">Slot</th><th>Schedule</th><th>Why</th></tr></thead>
          <tbody className="divide-y divide-slate-100">
            {coverage.missing.slice(0, 50).map((m) => (
              <tr key={`${m.schedule_id}@${m.slot}`}>
                <td className="whitespace-nowrap py-1.5">{when(m.slot)}</td>
                <td><a className="text-indigo-700 hover:underline" href={`/schedule/${m.schedule_id}/history`}>{m.schedule_name}</a></td>
                <td>{REASON[m.reason]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {coverage.missing_count > 50 && <p className="mt-2 text-xs text-slate-500">and {coverage.missing_count - 50} more (GET /api/monitoring/coverage lists up to 500).</p>}
    </Card>
  );
}
