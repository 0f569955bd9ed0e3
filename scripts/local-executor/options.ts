// What a LocalExecutor can be told (executor.ts); the CLI (cli.ts) maps its flags onto these.
import type { ExtraRoute } from "./http";
import type { Fetcher } from "./protocol";

export interface LocalExecutorOptions {
  /** Cloud mode: sign requests like Inngest Cloud, verify answers and the SDK's API bearer token. */
  signingKey?: string;
  /** Events matching a function's trigger start a run in the background. */
  autoRun?: boolean;
  /** Fire cron triggers on their schedule (the app command); tests trigger them by hand. */
  crons?: boolean;
  /** Journal folder (e.g. .data/local-executor); none keeps everything in memory. */
  dataDir?: string;
  /** How to reach the app (default: global fetch), e.g. `(u, i) => POST(new Request(u, i))`. */
  fetcher?: Fetcher;
  /** If set, /e/:key answers 401 for any other key. */
  eventKeys?: string[];
  /** Send ctx.fn_id so the SDK checkpoints steps to POST /v1/checkpoint/:runId/async (Inngest Cloud's default). */
  checkpointing?: boolean;
  maxRequestsPerRun?: number; // default 200
  requestTimeoutMs?: number; // per call to the app, default 30s
  maxWaitForEventMs?: number; // cap on step.waitForEvent, default 5s
  maxSleepMs?: number; // cap on step.sleep, default none
  maxRuns?: number; // guards against event loops, default 1000
  /** Multiplies Inngest's retry backoff (15 s, 30 s, 1 min, ... + jitter); 0 retries at once. Default 1. */
  backoffScale?: number;
  /** Extra HTTP routes on listen()'s server (the CLI's /__admin). */
  extraRoutes?: ExtraRoute;
  logger?: (line: string) => void;
}
