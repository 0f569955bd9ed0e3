"use client";
import Link from "next/link";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/card";
import { useToast } from "@/components/ui/toast";
import { useCursorPages } from "@/components/ui/use-cursor-pages";
import { errorMessage } from "@/components/schedules/api";
import { alertKeys, fetchAlerts, updateAlert, type AlertPage } from "@/components/alerts/api";
import { SeverityBadge } from "@/components/alerts/severity";
import type { AlertDto } from "@/lib/alerts/schemas";

const when = (iso: string) => `${iso.slice(0, 16).replace("T", " ")} UTC`;
const KIND_TEXT: Record<AlertDto["notifications"][number]["kind"], string> = { open: "Opened", renotify: "Still open", resolve: "Recovery", test: "Test" };
const MUTE_HOURS = 24;
const RESOLUTION_TEXT: Record<string, string> = {
  recovered: "Resolved (recovered)", manual: "Resolved by hand", schedule_deleted: "Resolved: schedule deleted",
  schedule_paused: "Resolved: schedule paused", monitor_deleted: "Resolved: monitor deleted",
};

function subjectLink(a: AlertDto) {
  if (a.subject.schedule_id) return <Link className="text-indigo-700 underline" href={`/schedule/${a.subject.schedule_id}`}>schedule</Link>;
  if (a.subject.type === "monitor") return <Link className="text-indigo-700 underline" href="/monitors">monitor</Link>;
  if (a.subject.type === "connection") return <Link className="text-indigo-700 underline" href="/crm">CRM connection</Link>;
  if (a.subject.type === "scheduler" || a.subject.type === "coverage") return <Link className="text-indigo-700 underline" href="/monitoring">monitoring</Link>;
  return null;
}

/** Opened, each message with its delivery status, acknowledged, resolved: oldest first. */
function Timeline({ a }: { a: AlertDto }) {
  const items: { at: string; text: string }[] = [
    { at: a.opened_at, text: "Alert opened" },
    ...a.notifications.map((n) => ({
      at: n.created_at,
      text: `${KIND_TEXT[n.kind]} by ${n.channel} to ${n.target}: ${n.status}${n.error_code ? ` (${n.error_code})` : ""}`,
    })),
    ...a.events.map((e) => ({ at: e.at, text: `Also: ${e.title} (${e.severity}; joined this alert, nobody notified again)` })),
    ...(a.acknowledged_at ? [{ at: a.acknowledged_at, text: `Acknowledged by ${a.acknowledged_by ?? "someone"}` }] : []),
    ...(a.resolved_at ? [{ at: a.resolved_at, text: RESOLUTION_TEXT[a.resolution ?? "recovered"] ?? `Resolved (${a.resolution})` }] : []),
  ].sort((x, y) => x.at.localeCompare(y.at));
  return (
    <ol className="mt-2 space-y-1 border-l border-slate-200 pl-3 text-xs text-slate-600" aria-label="Timeline">
      {items.map((i, k) => <li key={k}><time dateTime={i.at}>{when(i.at)}</time> — {i.text}</li>)}
    </ol>
  );
}

function AlertRow({ a }: { a: AlertDto }) {
  const toast = useToast();
  const qc = useQueryClient();
  const act = useMutation({
    mutationFn: (body: Parameters<typeof updateAlert>[1]) => updateAlert(a.id, body),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: alertKeys.list });
    },
    onError: (err) => toast(errorMessage(err), "error"),
  });
  const muted = a.muted_until && a.muted_until > new Date().toISOString();
  const open = a.status === "open";
  return (
    <li id={a.id} data-testid="alert" data-status={a.status} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <div className="flex flex-wrap items-center gap-2">
        <SeverityBadge severity={a.severity} />
        <Badge tone={open ? "red" : "green"}>{open ? "Open" : "Resolved"}</Badge>
        {a.acknowledged_at && <Badge tone="slate">Acknowledged</Badge>}
        {muted && <Badge tone="slate">Muted until {when(a.muted_until!)}</Badge>}
        {a.flapping && <Badge tone="amber">Flapping</Badge>}
        <h3 className="font-medium">{a.title}</h3>
      </div>
      <p className="mt-1 text-sm text-slate-700">{a.message} {subjectLink(a) && <>See the {subjectLink(a)}.</>}</p>
      {open && (
        <div className="mt-2 flex flex-wrap gap-2">
          {!a.acknowledged_at && <Button variant="secondary" disabled={act.isPending} onClick={() => act.mutate({ acknowledged: true })}>Acknowledge</Button>}
          {muted
            ? <Button variant="secondary" disabled={act.isPending} onClick={() => act.mutate({ muted_until: null })}>Unmute</Button>
            : <Button variant="secondary" disabled={act.isPending} onClick={() => act.mutate({ muted_until: new Date(Date.now() + MUTE_HOURS * 3_600_000).toISOString() })}>Mute {MUTE_HOURS} h</Button>}
          <Button variant="secondary" disabled={act.isPending} onClick={() => act.mutate({ status: "resolved" })}>Resolve</Button>
        </div>
      )}
      <details className="mt-2">
        <summary className="cursor-pointer text-sm text-slate-700">Timeline ({a.notifications.length} message{a.notifications.length === 1 ? "" : "s"})</summary>
        <Timeline a={a} />
      </details>
    </li>
  );
}

/** Pages of alerts, open first: the server renders the first page, "Show more" fetches the next by cursor. */
export function AlertList({ initial }: { initial: AlertPage }) {
  const query = useCursorPages(alertKeys.list, fetchAlerts, initial, 10_000);
  const data = query.data?.pages.flatMap((p) => p.alerts) ?? [];
  const open = data.filter((a) => a.status === "open");
  const resolved = data.filter((a) => a.status !== "open");
  if (!data.length)
    return <EmptyState title="No alerts">Nothing has gone wrong yet. Rules and channels are in <Link className="underline" href="/alerts/settings">alert settings</Link>.</EmptyState>;
  return (
    <div className="space-y-6">
      <section aria-labelledby="open-alerts">
        <h2 id="open-alerts" className="mb-2 text-lg font-semibold">Open ({open.length}{query.hasNextPage && !resolved.length ? "+" : ""})</h2>
        {open.length ? <ul className="space-y-3">{open.map((a) => <AlertRow key={a.id} a={a} />)}</ul> : <p className="text-sm text-slate-600">No open alerts.</p>}
      </section>
      <section aria-labelledby="resolved-alerts">
        <h2 id="resolved-alerts" className="mb-2 text-lg font-semibold">Resolved ({resolved.length}{query.hasNextPage ? "+" : ""})</h2>
        {resolved.length ? <ul className="space-y-3">{resolved.map((a) => <AlertRow key={a.id} a={a} />)}</ul> : <p className="text-sm text-slate-600">{query.hasNextPage ? "None on the pages shown." : "None yet."}</p>}
      </section>
      {query.hasNextPage && (
        <Button variant="secondary" disabled={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>
          {query.isFetchingNextPage ? "Loading…" : "Show more alerts"}
        </Button>
      )}
    </div>
  );
}
