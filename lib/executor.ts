import { z } from "zod";
import { env } from "@/lib/env";

// Which Inngest executor serves the app, and where its runs are shown:
// - dev mode (INNGEST_DEV): the Inngest Dev Server, or the project's local executor
//   (scripts/local-executor, what `npm run dev` starts when no Dev Server is available);
// - cloud mode: Inngest Cloud, or a self-hosted `inngest start` at INNGEST_BASE_URL.

export type ExecutorKind = "local-executor" | "dev-server" | "inngest-cloud" | "self-hosted";

export type ExecutorStatus = {
  mode: "dev" | "cloud";
  kind: ExecutorKind;
  reachable: boolean;
  /** nothing listens at all (connection refused), as opposed to a slow answer */
  refused: boolean;
  url: string | null;
  dashboardUrl: string;
};

/** What the local executor answers on GET / (scripts/local-executor/executor.ts LOCAL_EXECUTOR_NAME). */
export const LOCAL_EXECUTOR_NAME = "revwatch-local-executor";
const DEV_DEFAULT = "http://localhost:8288";
const CLOUD_DASHBOARD = "https://app.inngest.com";
let cache: { at: number; value: ExecutorStatus } | undefined;

export function isDevMode(): boolean {
  const v = env().INNGEST_DEV;
  return v !== undefined && v !== "0" && v !== "false";
}

/** Where the Dev Server lives in dev mode: INNGEST_DEV may itself be the URL. */
export function devServerUrl(): string {
  const v = env().INNGEST_DEV;
  if (v && /^https?:\/\//.test(v)) return v.replace(/\/$/, "");
  return (env().INNGEST_BASE_URL ?? DEV_DEFAULT).replace(/\/$/, "");
}

/** Declared by the app command (REVWATCH_EXECUTOR=local) so links need no network round trip. */
export function usesLocalExecutor(): boolean {
  return isDevMode() && env().REVWATCH_EXECUTOR === "local";
}

/** The run inspector: /dev/executor with the local executor, else the Dev Server, self-hosted Inngest or Inngest Cloud. */
export function runDashboardUrl(inngestRunId: string): string {
  const id = encodeURIComponent(inngestRunId);
  if (usesLocalExecutor()) return `${env().APP_URL.replace(/\/$/, "")}/dev/executor?run=${id}`;
  if (isDevMode()) return `${devServerUrl()}/run?runID=${id}`;
  const selfHosted = env().INNGEST_BASE_URL;
  return selfHosted ? `${selfHosted.replace(/\/$/, "")}/run?runID=${id}` : `${CLOUD_DASHBOARD}/env/production/runs/${id}`;
}

/** Dev mode: is an executor answering, and which? Cached briefly (`fresh` skips the cache); never blocks long. */
export async function executorStatus(opts: { fresh?: boolean } = {}): Promise<ExecutorStatus> {
  if (!isDevMode()) {
    const selfHosted = env().INNGEST_BASE_URL ?? null;
    return {
      mode: "cloud", kind: selfHosted ? "self-hosted" : "inngest-cloud", reachable: true, refused: false,
      url: selfHosted, dashboardUrl: selfHosted ?? CLOUD_DASHBOARD,
    };
  }
  const url = devServerUrl();
  if (!opts.fresh && cache && cache.value.url === url && Date.now() - cache.at < 5_000) return cache.value;
  let reachable = false;
  let refused = false;
  let kind: ExecutorKind = usesLocalExecutor() ? "local-executor" : "dev-server";
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(800), cache: "no-store" });
    reachable = true;
    // The local executor names itself in JSON; the Dev Server serves its dashboard (HTML) here.
    const body: unknown = res.headers.get("content-type")?.includes("json") ? await res.json() : null;
    kind = (body as { name?: unknown } | null)?.name === LOCAL_EXECUTOR_NAME ? "local-executor" : "dev-server";
  } catch (err) {
    refused = !(err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError"));
  }
  const dashboardUrl = kind === "local-executor" ? `${env().APP_URL.replace(/\/$/, "")}/dev/executor` : url;
  const value = { mode: "dev" as const, kind, reachable, refused, url, dashboardUrl };
  cache = { at: Date.now(), value };
  return value;
}

/** What GET /api/health says about the executor (never secrets: kind, mode, where, answering). */
export const executorHealthSchema = z.object({
  kind: z.enum(["local-executor", "dev-server", "inngest-cloud", "self-hosted"]).describe("which Inngest executor serves the app"),
  mode: z.enum(["dev", "cloud"]),
  url: z.string().nullable().describe("the executor's API base URL; null for Inngest Cloud"),
  reachable: z.boolean().describe("dev mode: answered just now; cloud mode: not probed (true)"),
});

export async function executorHealth(): Promise<z.infer<typeof executorHealthSchema>> {
  const s = await executorStatus();
  return { kind: s.kind, mode: s.mode, url: s.url, reachable: s.reachable };
}
