// step.waitForEvent and trigger expressions: which functions an event starts, and which waiting
// steps it wakes. Expressions outside the supported CEL subset are warned about and never match.
import { UnsupportedExpression, durationMs, evalExpression, nameMatches, type FnConfig, type InngestEvent, type Json, type Op, type RunRecord } from "./protocol";

interface Waiter { name: string; expr?: string; original: InngestEvent; done: (e: InngestEvent | null) => void }

export class EventWaits {
  private waiters: Waiter[] = [];
  constructor(private readonly warn: (msg: string) => void) {}

  /** The functions whose event triggers (and expressions) match. */
  matching(functions: FnConfig[], event: InngestEvent): FnConfig[] {
    return functions.filter((fn) => fn.triggers.some((t) => "event" in t && nameMatches(t.event, event.name) && this.exprOk(t.expression, { event }, fn.id)));
  }

  /** Wakes the steps waiting for this event. */
  offer(event: InngestEvent): void {
    for (const w of [...this.waiters]) {
      if (nameMatches(w.name, event.name) && this.exprOk(w.expr, { event: w.original, async: event }, "waitForEvent")) w.done(event);
    }
  }

  /** Resolves with the matching event, or null once the step's timeout (capped at capMs) passes. */
  wait(op: Op, run: RunRecord, capMs: number): Promise<InngestEvent | null> {
    const ms = Math.min(durationMs(String(op.opts?.timeout ?? "0s")), capMs);
    return new Promise((resolve) => {
      const timer = setTimeout(() => waiter.done(null), ms);
      const waiter: Waiter = {
        name: op.name ?? "", expr: typeof op.opts?.if === "string" ? op.opts.if : undefined, original: run.event,
        done: (e) => { clearTimeout(timer); this.waiters = this.waiters.filter((w) => w !== waiter); resolve(e); },
      };
      this.waiters.push(waiter);
    });
  }

  /** Ends every wait with null (the executor is closing). */
  endAll(): void {
    for (const w of [...this.waiters]) w.done(null);
  }

  private exprOk(expr: string | undefined, vars: Record<string, Json>, where: string): boolean {
    if (!expr) return true;
    try {
      return evalExpression(expr, vars);
    } catch (err) {
      if (!(err instanceof UnsupportedExpression)) throw err;
      this.warn(`${where}: ${err.message}; treated as no match`);
      return false;
    }
  }
}
