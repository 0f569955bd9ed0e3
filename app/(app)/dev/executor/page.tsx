import Link from "next/link";
import { notFound } from "next/navigation";
import { pageOwnerId } from "@/app/(app)/page-glue";
import { formatDuration } from "@/components/runs/format";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/card";
import { devToolsAllowed } from "@/lib/env";
import { executorStatus } from "@/lib/executor";
import { ExecutorUnavailableError, listExecutorRuns, type ExecutorRun } from "@/lib/executor-inspector";
import { replayAction } from "./actions";
import { EventBlock, StatusPill, StepsTable, clock } from "./parts";

export const metadata = { title: "Local executor · Revwatch" };
export const dynamic = "force-dynamic";

const fnName = (fnId: string) => fnId.replace(/^revwatch-/, "");
const duration = (r: ExecutorRun) => (r.endedAt ? Date.parse(r.endedAt) - Date.parse(r.startedAt) : null);

function RunCard({ run, open }: { run: ExecutorRun; open: boolean }) {
  return (
    <li className="rounded-lg border border-slate-200 bg-white" data-testid="executor-run" data-run-id={run.runId}>
      <details open={open}>
        <summary className="flex cursor-pointer flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2 text-sm">
          <span className="font-medium">{fnName(run.fnId)}</span>
          <StatusPill status={run.status} />
          <span className="font-mono text-xs text-slate-500">{run.event.name}</span>
          <span className="text-xs text-slate-500">{run.steps.length} step(s)</span>
          {run.replayOf && <span className="text-xs text-indigo-700">replay of {run.replayOf}</span>}
          <span className="ml-auto text-xs text-slate-600">
            {new Date(run.startedAt).toISOString().slice(0, 10)} {clock(run.startedAt)} UTC · {formatDuration(duration(run))}
          </span>
        </summary>
        <div className="space-y-3 border-t border-slate-100 px-3 py-3">
          <div className="flex flex-wrap items-start justify-between gap-3">
            <EventBlock run={run} />
            <form action={replayAction}>
              <input type="hidden" name="runId" value={run.runId} />
              <Button type="submit" variant="secondary">↻ Replay</Button>
            </form>
          </div>
          <StepsTable steps={run.steps} />
          {run.status !== "completed" && run.error !== undefined && (
            <pre className="whitespace-pre-wrap rounded bg-red-50 p-2 text-xs text-red-900">{JSON.stringify(run.error, null, 2)}</pre>
          )}
          <div className="text-xs text-slate-500">run {run.runId}</div>
        </div>
      </details>
    </li>
  );
}

export default async function ExecutorPage({ searchParams }: { searchParams: Promise<{ run?: string }> }) {
  // A development tool, like the outbox: production runs on Inngest Cloud or a self-hosted Inngest.
  if (!devToolsAllowed()) notFound();
  const [ownerId, { run: focus }, executor] = await Promise.all([pageOwnerId(), searchParams, executorStatus()]);
  let runs: ExecutorRun[] = [];
  let problem: string | null = null;
  try {
    runs = await listExecutorRuns(ownerId, focus);
  } catch (err) {
    if (!(err instanceof ExecutorUnavailableError)) throw err;
    problem = err.message;
  }

  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-2xl font-semibold">Local executor</h1>
        <p className="mt-1 text-sm text-slate-600">
          Function runs of the development Inngest executor, newest first: the event, every step with its attempts
          (and the backoff between them), output or error. Replay runs the same event again.
        </p>
        {focus && <Link href="/dev/executor" className="text-sm text-indigo-700 hover:underline">← All runs</Link>}
      </div>
      {problem ? (
        <EmptyState title="No local executor">
          {problem}.{" "}
          {executor.kind === "dev-server" && <a className="underline" href={executor.dashboardUrl}>Open the Inngest Dev Server dashboard</a>}
        </EmptyState>
      ) : runs.length === 0 ? (
        <EmptyState title="No runs yet">Scheduled reviews, Run now and the scheduler crons show up here.</EmptyState>
      ) : (
        <ul className="space-y-2">
          {runs.map((r) => <RunCard key={r.runId} run={r} open={r.runId === focus} />)}
        </ul>
      )}
    </div>
  );
}
