// Cron triggers on their real schedule: Inngest's cron strings, optionally prefixed with
// `TZ=Area/City ` (or CRON_TZ=), read by croner in that time zone. Each fire is an
// inngest/scheduled.timer event whose id names the slot, so a slot fires once even across restarts.
import { Cron } from "croner";
import type { FnConfig } from "./protocol";

const MAX_TIMER_MS = 2 ** 31 - 1;

export function parseCron(expr: string): { pattern: string; timezone?: string } {
  const m = expr.trim().match(/^(?:CRON_TZ|TZ)=(\S+)\s+(.+)$/);
  return m ? { pattern: m[2].trim(), timezone: m[1] } : { pattern: expr.trim() };
}

/** The first slot strictly after `after`, or null (a pattern that never matches again). */
export function nextCronRun(expr: string, after: Date): Date | null {
  const { pattern, timezone } = parseCron(expr);
  return new Cron(pattern, { timezone }).nextRun(after);
}

export const cronEventId = (fnId: string, slot: Date) => `cron:${fnId}:${slot.toISOString()}`;

export type CronFire = (fnId: string, cron: string, slot: Date) => void;

/** Arms one timer per (function, cron trigger); re-armed whenever the function list changes. */
export class CronScheduler {
  private timers: NodeJS.Timeout[] = [];
  constructor(
    private readonly fire: CronFire,
    private readonly warn: (msg: string) => void,
  ) {}

  arm(functions: FnConfig[]): void {
    this.stop();
    for (const fn of functions) {
      for (const t of fn.triggers) if ("cron" in t) this.schedule(fn.id, t.cron, new Date());
    }
  }

  stop(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
  }

  private schedule(fnId: string, cron: string, after: Date) {
    let next: Date | null;
    try {
      next = nextCronRun(cron, after);
    } catch (err) {
      this.warn(`cron "${cron}" of ${fnId} is invalid: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    if (!next) return;
    const slot = next;
    const timer = setTimeout(() => {
      this.timers = this.timers.filter((t) => t !== timer);
      // A long wait is done in hops (setTimeout's limit); fire only once the slot is reached.
      if (Date.now() + 5 >= slot.getTime()) {
        this.fire(fnId, cron, slot);
        this.schedule(fnId, cron, slot);
      } else this.schedule(fnId, cron, after);
    }, Math.min(Math.max(0, slot.getTime() - Date.now()), MAX_TIMER_MS));
    timer.unref?.();
    this.timers.push(timer);
  }
}
