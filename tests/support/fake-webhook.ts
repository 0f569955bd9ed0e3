// Loopback stand-in for a customer's alert webhook endpoint. It checks what a real receiver should:
// Revwatch-Signature = "v1=" + hex HMAC-SHA256(secret, `${Revwatch-Timestamp}.${raw body}`), compared in
// constant time, with the timestamp within 5 minutes; a bad or missing signature answers 401 and the
// message is not accepted. Paths it holds no secret for accept without checking (verified: null).
import { createHmac, timingSafeEqual } from "node:crypto";
import type http from "node:http";
import { LoopbackServer, readBody } from "./loopback-server";

export type WebhookDelivery = {
  path: string;
  headers: http.IncomingHttpHeaders;
  raw: string;
  body: Record<string, unknown> | null;
  /** true: signature checked and good; false: refused (401); null: no secret known for the path */
  verified: boolean | null;
  status: number;
};

const TOLERANCE_S = 300;

/** What a receiver runs: exported so tests can check a captured request the same way. */
export function verifySignature(secret: string, headers: http.IncomingHttpHeaders, raw: string, nowS = Math.floor(Date.now() / 1000)): boolean {
  const ts = Number(headers["revwatch-timestamp"]);
  const given = String(headers["revwatch-signature"] ?? "");
  if (!Number.isInteger(ts) || Math.abs(nowS - ts) > TOLERANCE_S || !given.startsWith("v1=")) return false;
  const expected = Buffer.from(`v1=${createHmac("sha256", secret).update(`${ts}.${raw}`).digest("hex")}`);
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export class FakeWebhook extends LoopbackServer {
  /** Every request, accepted or refused. */
  readonly requests: WebhookDelivery[] = [];
  private readonly secrets = new Map<string, string>();
  private failures: number[] = [];

  /** The signing secret the receiver at `path` checks against (the one the settings showed once). */
  setSecret(path: string, secret: string) {
    this.secrets.set(path, secret);
  }

  /** Messages accepted at a path (2xx), in order. */
  accepted(path: string): WebhookDelivery[] {
    return this.requests.filter((r) => r.path === path && r.status < 300);
  }

  /** The next n requests answer this status (e.g. 500) before any check. */
  failNext(n: number, status = 500) {
    for (let i = 0; i < n; i++) this.failures.push(status);
  }

  reset() {
    this.requests.length = 0;
    this.secrets.clear();
    this.failures = [];
  }

  protected async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const path = new URL(req.url ?? "/", "http://x").pathname;
    let body: Record<string, unknown> | null = null;
    try {
      body = JSON.parse(raw);
    } catch {}
    const secret = this.secrets.get(path);
    const verified = secret === undefined ? null : verifySignature(secret, req.headers, raw);
    const status = this.failures.shift() ?? (req.method !== "POST" ? 405 : verified === false ? 401 : 200);
    this.requests.push({ path, headers: req.headers, raw, body, verified, status });
    res.writeHead(status, { "content-type": "text/plain" }).end(status === 200 ? "ok" : "refused");
  }
}

export function startFakeWebhook(opts: { port?: number } = {}): Promise<FakeWebhook> {
  return new FakeWebhook().listen(opts.port);
}
