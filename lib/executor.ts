import { env } from "@/lib/env";

export type ExecutorStatus = {
  mode: "dev" | "cloud";
  reachable: boolean;
  /** nothing listens at all (connection refused), as opposed to a slow answer */
  refused: boolean;
  url: string | null;
  dashboardUrl: string;
};

const DEV_DEFAULT = "http://localhost:8288";
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

/** Link to a run in the Inngest dashboard: the Dev Server locally, Inngest Cloud in production. */
export function runDashboardUrl(inngestRunId: string): string {
  return isDevMode()
    ? `${devServerUrl()}/run?runID=${encodeURIComponent(inngestRunId)}`
    : `https://app.inngest.com/env/production/runs/${encodeURIComponent(inngestRunId)}`;
}

/** Dev mode: is a Dev Server (or the test executor) answering? Cached briefly; never blocks long. */
export async function executorStatus(): Promise<ExecutorStatus> {
  if (!isDevMode()) return { mode: "cloud", reachable: true, refused: false, url: null, dashboardUrl: "https://app.inngest.com" };
  const url = devServerUrl();
  if (cache && cache.value.url === url && Date.now() - cache.at < 5_000) return cache.value;
  let reachable = false;
  let refused = false;
  try {
    await fetch(url, { signal: AbortSignal.timeout(800), cache: "no-store" });
    reachable = true;
  } catch (err) {
    refused = !(err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError"));
  }
  const value = { mode: "dev" as const, reachable, refused, url, dashboardUrl: url };
  cache = { at: Date.now(), value };
  return value;
}
