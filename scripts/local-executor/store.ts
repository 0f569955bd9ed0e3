// The executor's journal: functions, accepted events, idempotency keys and runs (with their
// memoised steps and queues) in one JSON file under the data folder. Every write goes to a temp
// file, is fsynced and renamed over the old one, so a SIGKILL leaves either the old or the new
// state, never a torn file. Without a folder (tests) nothing is written.
import fs from "node:fs";
import path from "node:path";
import type { FnConfig, InngestEvent, RunRecord } from "./protocol";

export interface Journal {
  version: 1;
  apps: Record<string, FnConfig[]>;
  events: InngestEvent[];
  /** idempotency key -> [event id, accepted at (ms)] */
  seen: Record<string, [string, number]>;
  runs: RunRecord[];
}

export const KEEP_FINISHED_RUNS = 500;
export const KEEP_EVENTS = 1_000;
/** Inngest drops an event whose id it has seen in the last 24 h. */
export const IDEMPOTENCY_WINDOW_MS = 24 * 3600e3;

export class Store {
  readonly file?: string;
  constructor(dir?: string) {
    if (!dir) return;
    fs.mkdirSync(dir, { recursive: true });
    this.file = path.join(dir, "journal.json");
  }

  load(): Journal | null {
    if (!this.file || !fs.existsSync(this.file)) return null;
    const j = JSON.parse(fs.readFileSync(this.file, "utf8")) as Journal;
    if (j.version !== 1) throw new Error(`${this.file}: unknown journal version ${String(j.version)}`);
    return j;
  }

  save(journal: Journal): void {
    if (!this.file) return;
    const tmp = `${this.file}.${process.pid}.tmp`;
    const fd = fs.openSync(tmp, "w");
    try {
      fs.writeSync(fd, JSON.stringify(journal));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, this.file);
  }
}

/** Drops what the journal no longer needs: old finished runs, old events, expired idempotency keys. */
export function prune(j: Journal, now = Date.now()): void {
  const finished = j.runs.filter((r) => r.status !== "running");
  if (finished.length > KEEP_FINISHED_RUNS) {
    const drop = new Set(finished.slice(0, finished.length - KEEP_FINISHED_RUNS));
    j.runs.splice(0, j.runs.length, ...j.runs.filter((r) => !drop.has(r)));
  }
  if (j.events.length > KEEP_EVENTS) j.events.splice(0, j.events.length - KEEP_EVENTS);
  for (const [key, [, at]] of Object.entries(j.seen)) if (now - at > IDEMPOTENCY_WINDOW_MS) delete j.seen[key];
}
