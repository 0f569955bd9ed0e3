// A monitor's state at chosen instants and its metrics against hand-computed values (pure).
import { describe, expect, it } from "vitest";
import type { ExecutionLog } from "@/lib/generated/prisma/client";
import { computeMetrics, monitorState, nextExpected } from "@/lib/monitors/state";

const T0 = new Date("2026-11-30T03:00:00.000Z");
const MIN = 60_000;
const at = (m: number) => new Date(T0.getTime() + m * MIN);
const timing = { isActive: true, scheduleCron: null, timezone: null, periodSeconds: 3600, graceSeconds: 600, maxRuntimeSeconds: 900, createdAt: at(-100) };
const exec = (status: ExecutionLog["status"], startMin: number) => ({ status, startedAt: at(startMin), finishedAt: status === "RUNNING" ? null : at(startMin + 1), createdAt: at(startMin + 1) });

describe("state", () => {
  it("a period monitor: up until the run is due, late through the grace time, down after it", () => {
    const last = exec("SUCCESS", 0);
    expect(nextExpected(timing, last)).toEqual(at(60));
    expect(monitorState(timing, last, at(60))).toBe("up");
    expect(monitorState(timing, last, at(60.01))).toBe("late");
    expect(monitorState(timing, last, at(70))).toBe("late");
    expect(monitorState(timing, last, at(70.01))).toBe("down");
  });

  it("a cron monitor expects the next slot in its zone (03:00 New York = 08:00 UTC in winter)", () => {
    const cron = { ...timing, periodSeconds: null, scheduleCron: "0 3 * * *", timezone: "America/New_York" };
    const last = { status: "SUCCESS" as const, startedAt: new Date("2026-11-30T08:00:05Z"), finishedAt: new Date("2026-11-30T08:01:00Z"), createdAt: new Date("2026-11-30T08:01:00Z") };
    expect(nextExpected(cron, last)).toEqual(new Date("2026-12-01T08:00:00Z"));
    expect(monitorState(cron, last, new Date("2026-12-01T08:09:00Z"))).toBe("late");
    expect(monitorState(cron, last, new Date("2026-12-01T08:10:01Z"))).toBe("down");
  });

  it("new before any report, down after a failure, down when a started run overruns, paused when paused", () => {
    expect(monitorState(timing, null, at(0))).toBe("new");
    expect(monitorState(timing, exec("FAILURE", 0), at(2))).toBe("down");
    expect(monitorState(timing, exec("RUNNING", 0), at(15))).toBe("up");
    expect(monitorState(timing, exec("RUNNING", 0), at(15.01))).toBe("down");
    expect(monitorState({ ...timing, isActive: false }, exec("FAILURE", 0), at(2))).toBe("paused");
  });
});

describe("metrics", () => {
  it("equal the hand-computed values", () => {
    const now = new Date("2026-12-01T12:00:00Z");
    // durations 100..1000 ms; failures at 300 and 700; one partial (900); one still running
    const rows = [100, 200, 300, 400, 500, 600, 700, 800, 900, 1000].map((d, i) => ({
      status: (d === 300 || d === 700 ? "FAILURE" : d === 900 ? "PARTIAL" : "SUCCESS") as ExecutionLog["status"],
      durationMs: d,
      createdAt: new Date(now.getTime() - (i < 5 ? 0 : 86_400_000) - i * 1000),
    }));
    rows.push({ status: "RUNNING", durationMs: null as unknown as number, createdAt: now });
    const dto = (i: number) => ({ id: `e${i}`, run_id: null, status: "failed" as const, started_at: null, finished_at: null, duration_ms: null, workflow_name: null, failed_action_id: null, failed_action_name: null, error_message: null, received_at: "" });
    const m = computeMetrics(rows.map((r, i) => ({ ...r, dto: dto(i) })), now);
    expect(m).toMatchObject({ total: 10, succeeded: 7, failed: 2, partial: 1, running: 1, failure_rate_pct: 20, avg_duration_ms: 550, p95_duration_ms: 1000 });
    expect(m.last_failure?.id).toBe("e2"); // the 300 ms one is newer than the 700 ms one
    expect(m.recent_failures.map((f) => f.id)).toEqual(["e2", "e6"]);
    expect(m.trend.at(-1)).toEqual({ date: "2026-12-01", total: 5, failed: 1 });
    expect(m.trend.at(-2)).toEqual({ date: "2026-11-30", total: 5, failed: 1 });
    expect(m.trend).toHaveLength(7);
  });
});
