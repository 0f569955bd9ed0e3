// The executor's admin API (tests, the dev command, the /dev/executor inspector), on its own port:
//   GET  /__admin/status                 name, data folder, crons on/off, concurrency slots in use
//   GET  /__admin/runs[?fnId=&eventName=&status=]   GET /__admin/runs/:runId
//   GET  /__admin/events[?name=]   GET /__admin/functions   GET /__admin/idle[?timeoutMs=10000]
//   POST /__admin/cron/:fnId   POST /__admin/replay/:runId[?wait=0]   (answer with the finished run,
//        or at once with the started one when wait=0)
//   POST /__admin/sync[?app=<serve url>]   (re-sync every app, or add one)
import { LOCAL_EXECUTOR_NAME, type ExtraRoute, type HttpReply, type LocalExecutor, type RunRecord } from "./executor";

const json = (status: number, body: unknown): HttpReply => ({ status, body });
const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

export type AdminContext = { apps: Set<string>; dataDir?: string; crons: boolean };

export const adminRoutes = (ex: LocalExecutor, ctx: AdminContext): ExtraRoute => async ({ method, url }) => {
  const m = url.pathname.match(/^\/__admin\/([a-z]+)(?:\/([^/]+))?\/?$/);
  if (!m) return undefined;
  const [, what, rawArg] = m;
  const arg = rawArg === undefined ? undefined : decodeURIComponent(rawArg);
  const q = (k: string) => url.searchParams.get(k) ?? undefined;
  const finished = async (start: () => Promise<RunRecord>) => {
    try {
      return json(200, await start());
    } catch (err) {
      return json(404, { error: message(err) });
    }
  };
  if (method === "GET" && what === "status") {
    return json(200, { name: LOCAL_EXECUTOR_NAME, data_dir: ctx.dataDir ?? null, crons: ctx.crons, apps: [...ctx.apps], slots: ex.slots, runs: ex.runs.length, warnings: ex.warnings });
  }
  if (method === "GET" && what === "runs" && arg) {
    const run = ex.runs.find((r) => r.runId === arg);
    return run ? json(200, run) : json(404, { error: `unknown run ${arg}` });
  }
  if (method === "GET" && what === "runs") {
    const status = q("status") as RunRecord["status"] | undefined;
    return json(200, ex.findRuns({ fnId: q("fnId"), eventName: q("eventName"), status }));
  }
  if (method === "GET" && what === "events") return json(200, ex.events.filter((e) => !q("name") || e.name === q("name")));
  if (method === "GET" && what === "functions") return json(200, ex.functions);
  if (method === "GET" && what === "idle") {
    try {
      await ex.waitForIdle(Math.min(Number(q("timeoutMs") ?? 10_000), 120_000));
      return json(200, { idle: true, runs: ex.runs.length });
    } catch (err) {
      return json(504, { idle: false, error: message(err) });
    }
  }
  if (method === "POST" && what === "cron" && arg) return finished(() => ex.triggerCron(arg));
  if (method === "POST" && what === "replay" && arg) {
    if (q("wait") !== "0") return finished(() => ex.replay(arg));
    try {
      return json(202, ex.startReplay(arg).run);
    } catch (err) {
      return json(404, { error: message(err) });
    }
  }
  if (method === "POST" && what === "sync") {
    const add = q("app");
    if (add) ctx.apps.add(add);
    try {
      for (const app of ctx.apps) await ex.sync(app);
      return json(200, { functions: ex.functions.map((f) => f.id) });
    } catch (err) {
      return json(502, { error: message(err) });
    }
  }
  return json(404, { error: `unknown admin route ${method} ${url.pathname}` });
};
