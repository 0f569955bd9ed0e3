// Loopback stand-in for Slack incoming webhooks (POST /services/T…/B…/…), answering in Slack's
// plain-text style: 200 "ok", 404 "no_service" for a deleted webhook, 403 "invalid_token",
// 400 "invalid_payload" / "no_text" for bad bodies.
import type http from "node:http";
import { LoopbackServer, readBody } from "./loopback-server";

export type SlackPost = { path: string; headers: http.IncomingHttpHeaders; body: Record<string, unknown> };

type Scripted = { status: number; body: string; headers?: Record<string, string> };

const WEBHOOK_PATH = /^\/services\/[A-Za-z0-9_-]+\/[A-Za-z0-9_-]+\/[A-Za-z0-9_-]+$/;

export class FakeSlack extends LoopbackServer {
  /** Messages Slack accepted (200 "ok"). */
  readonly messages: SlackPost[] = [];
  /** Count of every request received, accepted or not. */
  requestCount = 0;
  /** Delay before answering each request, to exercise client timeouts. */
  slowMs = 0;

  private readonly revoked = new Map<string, Scripted>();
  private scripted: Scripted[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();

  /** A webhook URL on this fake; pass a path to get a distinct one. */
  webhookUrl(path = "/services/T000/B000/secret"): string {
    return `${this.url}${path}`;
  }

  /** Makes a webhook answer like a deleted one (404 no_service) or a revoked token (403 invalid_token). */
  revoke(path: string, kind: "no_service" | "invalid_token" = "no_service"): void {
    this.revoked.set(path, { status: kind === "no_service" ? 404 : 403, body: kind });
  }

  /** The next n requests fail with this status (Slack answers plain text). */
  failNext(n: number, status = 500, body = "internal_error"): void {
    this.respondNext(n, status, body);
  }

  /** The next n requests get exactly this answer, e.g. a redirect or an oversized body. */
  respondNext(n: number, status: number, body: string, headers?: Record<string, string>): void {
    for (let i = 0; i < n; i++) this.scripted.push({ status, body, headers });
  }

  reset(): void {
    this.messages.length = 0;
    this.requestCount = 0;
    this.slowMs = 0;
    this.revoked.clear();
    this.scripted = [];
  }

  override async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await super.close();
  }

  protected async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    this.requestCount++;
    const raw = await readBody(req);
    if (this.slowMs > 0) await this.sleep(this.slowMs);
    if (res.destroyed) return;

    const send = (a: Scripted) => {
      res.writeHead(a.status, { "content-type": "text/plain", ...a.headers });
      res.end(a.body);
    };
    const path = req.url ?? "";
    const scripted = this.scripted.shift();
    if (scripted) return send(scripted);
    if (req.method !== "POST" || !WEBHOOK_PATH.test(path)) return send({ status: 404, body: "no_service" });
    const revoked = this.revoked.get(path);
    if (revoked) return send(revoked);

    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return send({ status: 400, body: "invalid_payload" });
    }
    if (!body || typeof body !== "object" || Array.isArray(body)) return send({ status: 400, body: "invalid_payload" });
    const obj = body as Record<string, unknown>;
    if (typeof obj.text !== "string" && !Array.isArray(obj.blocks)) return send({ status: 400, body: "no_text" });

    this.messages.push({ path, headers: req.headers, body: obj });
    send({ status: 200, body: "ok" });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.add(t);
    });
  }
}

export function startFakeSlack(opts: { port?: number } = {}): Promise<FakeSlack> {
  return new FakeSlack().listen(opts.port);
}
