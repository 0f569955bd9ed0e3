// The local executor's HTTP face: what the SDK calls on the "Inngest server" (the Dev Server /
// Inngest Cloud API): event intake, out-of-band registration, checkpoints, health. Anything else
// answers 404 at once so no SDK call hangs.
import { createServer, type IncomingMessage, type Server } from "node:http";
import { hashedSigningKey, isRecord, type EventInput, type FnConfig, type Json, type Op } from "./protocol";

export interface HttpReply {
  status: number;
  body: Json;
  headers?: Record<string, string>;
}
export type ExtraRoute = (req: { method: string; url: URL; body: Json }) => Promise<HttpReply | undefined> | HttpReply | undefined;

/** What the routes need from the executor. */
export interface ApiHost {
  /** answered on GET / and /health so callers can tell this executor from a Dev Server */
  name: string;
  signingKey?: string;
  eventKeys?: string[];
  extraRoutes?: ExtraRoute;
  send(events: EventInput[], seed?: string): string[];
  register(appId: string, functions: FnConfig[]): void;
  /** false when no run with that id is in flight */
  checkpoint(runId: string, ops: Op[]): Promise<boolean>;
  functionIds(): string[];
}

const MAX_BODY = 16 * 1024 * 1024;
const reply = (status: number, body: Json): HttpReply => ({ status, body });
const err = (status: number, error: string) => reply(status, { error, status });

export async function listenApi(api: ApiHost, port: number, hostname: string): Promise<Server> {
  const server = createServer((req, res) => {
    void handle(api, req).then((r) => res.writeHead(r.status, { "content-type": "application/json", ...r.headers }).end(JSON.stringify(r.body)));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, hostname, () => resolve());
  });
  return server;
}

async function handle(api: ApiHost, req: IncomingMessage): Promise<HttpReply> {
  try {
    const url = new URL(req.url ?? "/", "http://local-executor");
    const method = req.method ?? "GET";
    let raw = "";
    for await (const chunk of req) {
      raw += chunk;
      if (raw.length > MAX_BODY) return err(413, "body too large");
    }
    let body: Json;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      return err(400, "body is not JSON");
    }
    const extra = await api.extraRoutes?.({ method, url, body });
    return extra ?? (await route(api, method, url, body, req.headers));
  } catch (e) {
    return err(500, String(e));
  }
}

async function route(api: ApiHost, method: string, url: URL, body: Json, headers: IncomingMessage["headers"]): Promise<HttpReply> {
  const path = url.pathname.replace(/\/+$/, "") || "/";
  // The SDK authenticates API calls with its hashed signing key; dev mode sends none.
  const authorized = !api.signingKey || headers.authorization === `Bearer ${hashedSigningKey(api.signingKey)}`;

  const event = path.match(/^\/e\/([^/]+)$/);
  if (method === "POST" && event) {
    if (api.eventKeys && !api.eventKeys.includes(decodeURIComponent(event[1]))) return err(401, "Event key not found");
    const list = Array.isArray(body) ? body : [body];
    if (!list.length || !list.every((e) => isRecord(e) && typeof e.name === "string" && e.name)) return err(400, "every event needs a name");
    const seed = headers["x-inngest-event-id-seed"];
    return reply(200, { ids: api.send(list as EventInput[], typeof seed === "string" ? seed : undefined), status: 200 });
  }
  if ((method === "POST" || method === "PUT") && path === "/fn/register") {
    if (!authorized) return err(401, "Unauthorized");
    if (!isRecord(body) || !Array.isArray(body.functions)) return err(400, "missing functions");
    api.register(String(body.appName ?? body.url), body.functions as FnConfig[]);
    return reply(200, { ok: true, modified: true });
  }
  const checkpoint = path.match(/^\/v1\/checkpoint\/([^/]+)\/async$/);
  if (method === "POST" && checkpoint) {
    if (!authorized) return err(401, "Unauthorized");
    const steps = isRecord(body) && Array.isArray(body.steps) ? (body.steps as Op[]) : [];
    // On 404 the SDK retries, then falls back to answering with the steps in its 206.
    return (await api.checkpoint(decodeURIComponent(checkpoint[1]), steps)) ? reply(200, {}) : err(404, "run not found");
  }
  if (method === "GET" && ["/", "/health", "/dev", "/v0/health", "/v1/health"].includes(path)) {
    return reply(200, { status: 200, name: api.name, mode: api.signingKey ? "cloud" : "dev", functions: api.functionIds() });
  }
  return err(404, `the local executor does not implement ${method} ${path}`);
}
