import "server-only";
import { timingSafeEqual } from "node:crypto";
import { monitorExecutionRecorded } from "@/inngest/events";
import { systemDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { ExecutionStatus, Monitor } from "@/lib/generated/prisma/client";
import { isResourceId, toErrorResponse } from "@/lib/http";
import { sendEvents } from "@/lib/inngest-send";
import { log } from "@/lib/log";
import { requireToken, type RateLimit } from "@/lib/rate-limit";
import type { IngestBody } from "@/lib/monitors/schemas";
import { executionDto } from "@/lib/monitors/serialize";
import { hashToken } from "@/lib/monitors/service";

// Execution reports from external jobs: authenticated by the monitor's own token (no Clerk session),
// rate limited per monitor, idempotent on run_id (a start and its finish pair on it; a repeated
// report is stored once), and announced as monitor/execution.recorded for the alert rules.

export const TOKEN_HEADER = "revwatch-monitor-token";
/** Per monitor, shared by every app instance. */
export const INGEST_LIMIT: RateLimit = { limit: 60, windowMs: 60_000 };

const bad = () => new AppError("unauthorized", "Missing or invalid monitor token (send it in the Revwatch-Monitor-Token header)");

async function authenticate(id: string, token: string | null): Promise<Monitor> {
  // An unknown monitor answers like a wrong token: the endpoint does not tell which monitors exist.
  if (!token || !isResourceId(id)) throw bad();
  const monitor = await systemDb().monitor.findUnique({ where: { id } });
  const given = Buffer.from(hashToken(token), "hex");
  if (!monitor || !timingSafeEqual(given, Buffer.from(monitor.ingestTokenHash, "hex"))) throw bad();
  return monitor;
}

type Ctx = { params: Promise<{ id: string }> };

/** The ingest route's wrapper, as withAuth is for session routes: token, rate limit, errors as JSON. */
export function withMonitorToken(handler: (ctx: { req: Request; monitor: Monitor }) => Promise<Response>) {
  return async (req: Request, ctx: Ctx): Promise<Response> => {
    try {
      const monitor = await authenticate((await ctx.params).id, req.headers.get(TOKEN_HEADER));
      await requireToken("monitor-ingest", monitor.id, INGEST_LIMIT);
      return await handler({ req, monitor });
    } catch (err) {
      return toErrorResponse(err, { method: req.method, url: req.url });
    }
  };
}

const STATUS: Record<IngestBody["status"], ExecutionStatus> = { started: "RUNNING", success: "SUCCESS", failed: "FAILURE", partial: "PARTIAL" };
const date = (v: string | null | undefined) => (v ? new Date(v) : null);

/** The row a report describes: times completed from what it gives (finished = now when it says nothing). */
function fields(b: IngestBody, now: Date) {
  const ms = b.execution_time_ms ?? null;
  let started = date(b.started_at);
  let finished = b.status === "started" ? null : date(b.finished_at);
  if (b.status !== "started" && !finished) finished = started && ms !== null ? new Date(started.getTime() + ms) : now;
  if (!started && b.status === "started") started = now;
  if (!started && finished && ms !== null) started = new Date(finished.getTime() - ms);
  const durationMs = ms ?? (started && finished ? finished.getTime() - started.getTime() : null);
  return {
    status: STATUS[b.status], startedAt: started, finishedAt: finished, durationMs,
    workflowName: b.workflow_name ?? null, failedActionId: b.failed_action_id ?? null, failedActionName: b.failed_action_name ?? null, message: b.error_message ?? null,
  };
}

async function announce(monitor: Monitor, executionId: string, status: ExecutionStatus) {
  if (status === "RUNNING") return;
  try {
    await sendEvents(monitorExecutionRecorded.create({ ownerId: monitor.ownerId, monitorId: monitor.id, executionId }, { id: `${executionId}:${status}` }));
  } catch (err) {
    // The report is stored either way; the alert sweep still sees a monitor that is down.
    log.warn({ err, monitorId: monitor.id }, "could not announce a monitor execution");
  }
}

export async function ingestExecution(monitor: Monitor, body: IngestBody, now = new Date()) {
  const data = fields(body, now);
  const db = systemDb();
  const base = { monitorId: monitor.id, ownerId: monitor.ownerId, createdAt: now };
  if (!body.run_id) {
    const row = await db.executionLog.create({ data: { ...base, ...data } });
    await announce(monitor, row.id, row.status);
    return { execution: executionDto(row), duplicate: false };
  }
  const key = { monitorId_externalId: { monitorId: monitor.id, externalId: body.run_id } };
  const { count } = await db.executionLog.createMany({ data: [{ ...base, externalId: body.run_id, ...data }], skipDuplicates: true });
  let row = await db.executionLog.findUniqueOrThrow({ where: key });
  if (count) {
    await announce(monitor, row.id, row.status);
    return { execution: executionDto(row), duplicate: false };
  }
  // The run was started before: its finish completes that row once (compare-and-set on RUNNING).
  if (row.status === "RUNNING" && data.status !== "RUNNING") {
    const startedAt = date(body.started_at) ?? row.startedAt;
    const durationMs = body.execution_time_ms ?? (startedAt && data.finishedAt ? Math.max(0, data.finishedAt.getTime() - startedAt.getTime()) : null);
    const done = await db.executionLog.updateMany({ where: { id: row.id, status: "RUNNING" }, data: { ...data, startedAt, durationMs } });
    row = await db.executionLog.findUniqueOrThrow({ where: key });
    if (done.count) {
      await announce(monitor, row.id, row.status);
      return { execution: executionDto(row), duplicate: false };
    }
  }
  return { execution: executionDto(row), duplicate: true };
}
