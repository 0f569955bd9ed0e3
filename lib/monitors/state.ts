import "server-only";
import type { ExecutionLog, Monitor } from "@/lib/generated/prisma/client";
import { nextRunAfter } from "@/lib/schedules/time";
import type { MonitorMetrics, MonitorState } from "@/lib/monitors/schemas";

// A monitor's state and metrics at an instant (`now` is a parameter, so tests drive time), the
// Healthchecks way: new until the first report; after the expected time the run is late for the grace
// time, then down (missed); a failed run, or a started one past its max runtime, is down.

type Timing = Pick<Monitor, "isActive" | "scheduleCron" | "timezone" | "periodSeconds" | "graceSeconds" | "maxRuntimeSeconds" | "createdAt">;
type Last = Pick<ExecutionLog, "status" | "startedAt" | "finishedAt" | "createdAt"> | null;

/** When the next run is due: a period after the last one started, or the schedule's next slot after it. */
export function nextExpected(m: Timing, last: Last): Date | null {
  if (!last) return null;
  const ref = last.startedAt ?? last.finishedAt ?? last.createdAt;
  if (m.periodSeconds) return new Date(ref.getTime() + m.periodSeconds * 1000);
  if (m.scheduleCron) return nextRunAfter(m.scheduleCron, m.timezone ?? "UTC", ref);
  return null;
}

export function monitorState(m: Timing, last: Last, now: Date): MonitorState {
  if (!m.isActive) return "paused";
  if (!last) return "new";
  if (last.status === "RUNNING") {
    const started = last.startedAt ?? last.createdAt;
    return m.maxRuntimeSeconds && now.getTime() > started.getTime() + m.maxRuntimeSeconds * 1000 ? "down" : "up";
  }
  if (last.status === "FAILURE") return "down";
  const due = nextExpected(m, last);
  if (!due || now <= due) return "up";
  return now.getTime() > due.getTime() + m.graceSeconds * 1000 ? "down" : "late";
}

type Exec = Pick<ExecutionLog, "status" | "durationMs" | "createdAt"> & { dto: MonitorMetrics["recent_failures"][number] };
const DAY = 86_400_000;

/**
 * Counts, failure rate, average and nearest-rank p95 duration, last failure, 7-day trend: the
 * definition. The app computes the same in SQL for a page at once (metrics-sql.ts); the tests hold
 * the two together (tests/integration/monitor-metrics-sql.test.ts).
 */
export function computeMetrics(execs: Exec[], now: Date): MonitorMetrics {
  const finished = execs.filter((e) => e.status !== "RUNNING");
  const count = (s: Exec["status"]) => execs.filter((e) => e.status === s).length;
  const failed = count("FAILURE");
  const durations = finished.map((e) => e.durationMs).filter((d): d is number => d !== null).sort((a, b) => a - b);
  const failures = execs.filter((e) => e.status === "FAILURE").sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const trend = Array.from({ length: 7 }, (_, i) => {
    const from = today - (6 - i) * DAY;
    const day = finished.filter((e) => e.createdAt.getTime() >= from && e.createdAt.getTime() < from + DAY);
    return { date: new Date(from).toISOString().slice(0, 10), total: day.length, failed: day.filter((e) => e.status === "FAILURE").length };
  });
  return {
    total: finished.length,
    succeeded: count("SUCCESS"),
    failed,
    partial: count("PARTIAL"),
    running: count("RUNNING"),
    failure_rate_pct: finished.length ? Math.round((failed / finished.length) * 1000) / 10 : null,
    avg_duration_ms: durations.length ? Math.round(durations.reduce((a, b) => a + b, 0) / durations.length) : null,
    p95_duration_ms: durations.length ? durations[Math.ceil(0.95 * durations.length) - 1]! : null,
    last_failure: failures[0]?.dto ?? null,
    trend,
    recent_failures: failures.slice(0, 10).map((e) => e.dto),
  };
}
