// Per-key concurrency limits: a step request takes one slot of every key its function declares
// (see policy.ts concurrencyKeys) and gives them back when the app answers. Waiters are served
// first come, first served. Slots are taken in key order so two functions never deadlock.
import type { ConcurrencyKey } from "./policy";

export class Limiter {
  private readonly active = new Map<string, number>();
  private waiters: { keys: ConcurrencyKey[]; go: () => void }[] = [];

  async run<T>(keys: ConcurrencyKey[], work: () => Promise<T>): Promise<T> {
    if (keys.length) await this.acquire([...keys].sort((a, b) => a.key.localeCompare(b.key)));
    try {
      return await work();
    } finally {
      if (keys.length) this.release(keys);
    }
  }

  /** Slots in use per key (the inspector and tests read it). */
  inUse(): Record<string, number> {
    return Object.fromEntries([...this.active].filter(([, n]) => n > 0));
  }

  private free(keys: ConcurrencyKey[]) {
    return keys.every((k) => (this.active.get(k.key) ?? 0) < k.limit);
  }

  private take(keys: ConcurrencyKey[]) {
    for (const k of keys) this.active.set(k.key, (this.active.get(k.key) ?? 0) + 1);
  }

  private acquire(keys: ConcurrencyKey[]): Promise<void> {
    if (this.free(keys) && !this.waiters.some((w) => w.keys.some((wk) => keys.some((k) => k.key === wk.key)))) {
      this.take(keys);
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push({ keys, go: resolve }));
  }

  private release(keys: ConcurrencyKey[]) {
    for (const k of keys) this.active.set(k.key, Math.max(0, (this.active.get(k.key) ?? 1) - 1));
    const blocked = new Set<string>();
    this.waiters = this.waiters.filter((w) => {
      // Keeps FIFO per key: a waiter behind a blocked one on the same key waits its turn.
      if (w.keys.some((k) => blocked.has(k.key)) || !this.free(w.keys)) {
        for (const k of w.keys) blocked.add(k.key);
        return true;
      }
      this.take(w.keys);
      w.go();
      return false;
    });
  }
}
