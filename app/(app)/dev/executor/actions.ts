"use server";
import { notFound, redirect } from "next/navigation";
import { pageOwnerId } from "@/app/(app)/page-glue";
import { devToolsAllowed } from "@/lib/env";
import { replayExecutorRun } from "@/lib/executor-inspector";

/** The inspector's Replay: the run's event again as a new run, then show that run. */
export async function replayAction(form: FormData): Promise<void> {
  if (!devToolsAllowed()) notFound();
  const ownerId = await pageOwnerId();
  const runId = String(form.get("runId") ?? "");
  const started = runId ? await replayExecutorRun(ownerId, runId) : null;
  if (!started) notFound();
  redirect(`/dev/executor?run=${encodeURIComponent(started.runId)}`);
}
