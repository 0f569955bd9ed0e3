// The tests' name for the local executor (scripts/local-executor, the one implementation), with
// retries at once instead of Inngest's 15 s+ backoff so a test never waits on it.
import { LocalExecutor, type LocalExecutorOptions } from "@/scripts/local-executor/executor";

export * from "@/scripts/local-executor/executor";
export type FakeInngestOptions = LocalExecutorOptions;

export class FakeInngest extends LocalExecutor {
  constructor(opts: LocalExecutorOptions = {}) {
    super({ backoffScale: 0, maxSleepMs: 0, ...opts });
  }
}
