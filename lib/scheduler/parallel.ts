// The scheduler's passes work through many rows with a few in flight at a time (under the pool
// size); one row's failure is reported and never stops the pass.

/** In flight at once: stays under the connection pool. */
export const PARALLEL = 8;
export const MAX_ERRORS_KEPT = 20;

export type PassError = { id: string; message: string };

/** Runs `work` on every item, PARALLEL at a time; `onDone` gets each result, failures come back (the first 20). */
export async function settleEach<T extends { id: string }, R>(
  items: readonly T[],
  work: (item: T) => Promise<R>,
  onDone: (result: R, item: T) => void,
): Promise<{ failed: number; errors: PassError[] }> {
  const out = { failed: 0, errors: [] as PassError[] };
  for (let i = 0; i < items.length; i += PARALLEL) {
    const slice = items.slice(i, i + PARALLEL);
    const outcomes = await Promise.allSettled(slice.map(work));
    outcomes.forEach((o, j) => {
      if (o.status === "fulfilled") return onDone(o.value, slice[j]!);
      out.failed++;
      if (out.errors.length < MAX_ERRORS_KEPT) {
        const message = o.reason instanceof Error ? o.reason.message : String(o.reason);
        out.errors.push({ id: slice[j]!.id, message: message.slice(0, 500) });
      }
    });
  }
  return out;
}
