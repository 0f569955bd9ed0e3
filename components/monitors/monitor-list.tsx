"use client";
import { useState } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, EmptyState } from "@/components/ui/card";
import { Field, inputClass } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import { useCursorPages } from "@/components/ui/use-cursor-pages";
import { errorMessage } from "@/components/schedules/api";
import { AdminOnly } from "@/components/schedules/role-gate";
import { createMonitor, deleteMonitor, fetchMonitors, monitorKeys, updateMonitor, type MonitorPage } from "@/components/monitors/api";
import type { MonitorDto, MonitorState } from "@/lib/monitors/schemas";
import type { Role } from "@/lib/roles";

const STATE: Record<MonitorState, { tone: BadgeTone; text: string }> = {
  new: { tone: "slate", text: "New (no report yet)" },
  up: { tone: "green", text: "Up" },
  late: { tone: "amber", text: "Late" },
  down: { tone: "red", text: "Down" },
  paused: { tone: "slate", text: "Paused" },
};
const ms = (v: number | null) => (v === null ? "—" : v < 1000 ? `${v} ms` : `${(v / 1000).toFixed(1)} s`);

function CreateForm({ onCreated, role }: { onCreated: (token: string, m: MonitorDto) => void; role: Role }) {
  const toast = useToast();
  const [name, setName] = useState("");
  const [schedule, setSchedule] = useState("");
  const [timezone, setTimezone] = useState("UTC");
  const [period, setPeriod] = useState("");
  const [grace, setGrace] = useState("300");
  const create = useMutation({
    mutationFn: () => createMonitor({
      name, grace_seconds: Number(grace),
      ...(schedule.trim() ? { schedule: schedule.trim(), timezone } : {}),
      ...(period ? { period_seconds: Number(period) } : {}),
    }),
    onSuccess: (m) => { onCreated(m.ingest_token, m); setName(""); },
    onError: (e) => toast(errorMessage(e), "error"),
  });
  return (
    <Card title="New monitor">
      <form className="grid gap-3 sm:grid-cols-2" onSubmit={(e) => { e.preventDefault(); create.mutate(); }}>
        <Field id="monitor_name" label="Name"><input id="monitor_name" className={inputClass} value={name} onChange={(e) => setName(e.target.value)} /></Field>
        <Field id="monitor_schedule" label="Expected schedule (cron, optional)"><input id="monitor_schedule" className={inputClass} placeholder="0 3 * * *" value={schedule} onChange={(e) => setSchedule(e.target.value)} /></Field>
        <Field id="monitor_timezone" label="Time zone of the schedule"><input id="monitor_timezone" className={inputClass} value={timezone} onChange={(e) => setTimezone(e.target.value)} /></Field>
        <Field id="monitor_period" label="Or every N seconds (optional)"><input id="monitor_period" type="number" className={inputClass} value={period} onChange={(e) => setPeriod(e.target.value)} /></Field>
        <Field id="monitor_grace" label="Grace (seconds)"><input id="monitor_grace" type="number" className={inputClass} value={grace} onChange={(e) => setGrace(e.target.value)} /></Field>
        <div className="flex items-end">
          <AdminOnly role={role} label="Create monitor"><Button type="submit" disabled={create.isPending}>{create.isPending ? "Creating…" : "Create monitor"}</Button></AdminOnly>
        </div>
      </form>
    </Card>
  );
}

function MonitorRow({ m, role }: { m: MonitorDto; role: Role }) {
  const toast = useToast();
  const qc = useQueryClient();
  const refresh = () => qc.invalidateQueries({ queryKey: monitorKeys.list });
  const pause = useMutation({ mutationFn: () => updateMonitor(m.id, { is_active: !m.is_active }), onSuccess: refresh, onError: (e) => toast(errorMessage(e), "error") });
  const remove = useMutation({ mutationFn: () => deleteMonitor(m.id), onSuccess: refresh, onError: (e) => toast(errorMessage(e), "error") });
  const s = STATE[m.state];
  const x = m.metrics;
  return (
    <li data-testid="monitor" className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <div className="flex flex-wrap items-center gap-2">
        <Badge tone={s.tone}>{s.text}</Badge>
        <h3 className="font-medium">{m.name}</h3>
        <span className="text-xs text-slate-500">
          {m.schedule ? `${m.schedule} (${m.timezone})` : m.period_seconds ? `every ${m.period_seconds} s` : "no expected schedule"}, grace {m.grace_seconds} s
          {m.next_expected_at ? ` · next expected ${m.next_expected_at.slice(0, 16).replace("T", " ")} UTC` : ""}
        </span>
      </div>
      <dl className="mt-2 grid grid-cols-2 gap-2 text-sm sm:grid-cols-5">
        <div><dt className="text-slate-500">Runs</dt><dd>{x.total} ({x.failed} failed, {x.partial} partial)</dd></div>
        <div><dt className="text-slate-500">Failure rate</dt><dd>{x.failure_rate_pct === null ? "—" : `${x.failure_rate_pct} %`}</dd></div>
        <div><dt className="text-slate-500">Average / p95</dt><dd>{ms(x.avg_duration_ms)} / {ms(x.p95_duration_ms)}</dd></div>
        <div><dt className="text-slate-500">Last failure</dt><dd>{x.last_failure ? `${x.last_failure.received_at.slice(0, 16).replace("T", " ")}${x.last_failure.error_message ? `: ${x.last_failure.error_message}` : ""}` : "none"}</dd></div>
        <div><dt className="text-slate-500">Failures, last 7 days</dt><dd aria-label="Failure trend">{x.trend.map((d) => d.failed).join(" · ")}</dd></div>
      </dl>
      <p className="mt-2 text-xs text-slate-600">Report to <code>POST {m.ingest_url}</code> with header <code>Revwatch-Monitor-Token: {m.token_masked}</code></p>
      <div className="mt-2 flex gap-2">
        <AdminOnly role={role} label={m.is_active ? "Pause" : "Resume"} idKey={m.id}>
          <Button variant="secondary" disabled={pause.isPending} onClick={() => pause.mutate()}>{m.is_active ? "Pause" : "Resume"}</Button>
        </AdminOnly>
        <AdminOnly role={role} label="Delete" idKey={m.id}>
          <Button variant="danger" disabled={remove.isPending} onClick={() => remove.mutate()}>Delete</Button>
        </AdminOnly>
      </div>
    </li>
  );
}

/** Pages of monitors, newest first: the server renders the first page, "Load more" fetches the next by cursor. */
export function MonitorList({ initial, role }: { initial: MonitorPage; role: Role }) {
  const qc = useQueryClient();
  const [created, setCreated] = useState<{ token: string; m: MonitorDto } | null>(null);
  const query = useCursorPages(monitorKeys.list, fetchMonitors, initial, 15_000);
  const data = query.data?.pages.flatMap((p) => p.monitors) ?? [];
  return (
    <div className="space-y-4">
      <CreateForm role={role} onCreated={(token, m) => { setCreated({ token, m }); void qc.invalidateQueries({ queryKey: monitorKeys.list }); }} />
      {created && (
        <div role="status" className="rounded-md bg-amber-50 p-3 text-sm text-amber-900">
          Ingest token for “{created.m.name}” — copy it now, it is not shown again: <code data-testid="ingest-token">{created.token}</code>
          <pre className="mt-2 overflow-x-auto rounded bg-white p-2 text-xs">{`curl -X POST ${created.m.ingest_url} \\\n  -H 'Revwatch-Monitor-Token: ${created.token}' -H 'content-type: application/json' \\\n  -d '{"status":"success","run_id":"$RUN_ID","execution_time_ms":1234}'`}</pre>
        </div>
      )}
      {data.length ? <ul className="space-y-3">{data.map((m) => <MonitorRow key={m.id} m={m} role={role} />)}</ul> : <EmptyState title="No monitors yet">Create one for each job that runs outside Revwatch.</EmptyState>}
      {query.hasNextPage && (
        <div className="flex justify-center">
          <Button variant="secondary" disabled={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>
            {query.isFetchingNextPage ? "Loading…" : "Load more"}
          </Button>
        </div>
      )}
    </div>
  );
}
