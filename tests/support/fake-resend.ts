// Loopback stand-in for the Resend API (POST /emails only), so tests never reach the real service.
// Mirrors Resend's observable behaviour: Bearer auth, { id } on success, Resend-shaped error bodies
// { statusCode, name, message }, and Idempotency-Key replay (same key + same body = same id, no new email;
// same key + different body = 409).
import { randomUUID } from "node:crypto";
import type http from "node:http";
import { LoopbackServer, readBody } from "./loopback-server";

export type RecordedRequest = {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  idempotencyKey: string | null;
  /** Parsed JSON, or null when the body was not JSON. */
  body: Record<string, unknown> | null;
  status: number;
};

export type RecordedEmail = {
  id: string;
  idempotencyKey: string | null;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown>;
};

const ERROR_NAMES: Record<number, string> = {
  400: "validation_error",
  401: "missing_api_key",
  403: "invalid_api_key",
  404: "not_found",
  409: "invalid_idempotent_request",
  422: "validation_error",
  429: "rate_limit_exceeded",
  500: "internal_server_error",
  503: "application_error",
};

export class FakeResend extends LoopbackServer {
  /** Every request that reached the server, including failed and replayed ones. */
  readonly requests: RecordedRequest[] = [];
  /** Emails Resend would actually have sent: one per accepted, non-replayed request. */
  readonly emails: RecordedEmail[] = [];
  /** When true every request gets 503, as during an outage. */
  down = false;

  private readonly byKey = new Map<string, { id: string; fingerprint: string }>();
  private failures: { status: number; name?: string; message?: string }[] = [];

  constructor(readonly apiKey = "re_test_key") {
    super();
  }

  /** The next n requests (after auth) fail with this status and a Resend-shaped body. */
  failNext(n: number, status: number, error: { name?: string; message?: string } = {}): void {
    for (let i = 0; i < n; i++) this.failures.push({ status, ...error });
  }

  reset(): void {
    this.requests.length = 0;
    this.emails.length = 0;
    this.byKey.clear();
    this.failures = [];
    this.down = false;
  }

  protected async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const raw = await readBody(req);
    let body: Record<string, unknown> | null = null;
    try {
      const parsed: unknown = JSON.parse(raw);
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
    } catch {
      body = null;
    }
    const keyHeader = req.headers["idempotency-key"];
    const idempotencyKey = typeof keyHeader === "string" ? keyHeader : null;
    const record: RecordedRequest = {
      method: req.method ?? "",
      path: req.url ?? "",
      headers: req.headers,
      idempotencyKey,
      body,
      status: 0,
    };
    this.requests.push(record);

    const reply = (status: number, payload: unknown) => {
      record.status = status;
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(payload));
    };
    const fail = (status: number, message: string, name = ERROR_NAMES[status] ?? "application_error") =>
      reply(status, { statusCode: status, name, message });

    if (this.down) return fail(503, "Service unavailable");
    if (req.method !== "POST" || req.url !== "/emails") return fail(404, "The requested endpoint does not exist.");

    const auth = req.headers.authorization;
    if (!auth) return fail(401, "Missing API key in the authorization header.");
    if (auth !== `Bearer ${this.apiKey}`) return fail(403, "API key is invalid");

    const injected = this.failures.shift();
    if (injected) return fail(injected.status, injected.message ?? `Injected failure ${injected.status}`, injected.name);

    if (!body) return fail(422, "Invalid JSON body");
    for (const field of ["from", "to", "subject"]) {
      if (body[field] === undefined || body[field] === "") return fail(422, `Missing \`${field}\` field.`, "missing_required_field");
    }

    const fingerprint = JSON.stringify(body);
    if (idempotencyKey) {
      const seen = this.byKey.get(idempotencyKey);
      if (seen && seen.fingerprint !== fingerprint) {
        return fail(409, "Same idempotency key used with a different request payload.", "invalid_idempotent_request");
      }
      if (seen) return reply(200, { id: seen.id });
    }

    const id = randomUUID();
    if (idempotencyKey) this.byKey.set(idempotencyKey, { id, fingerprint });
    this.emails.push({ id, idempotencyKey, headers: req.headers, body });
    reply(200, { id });
  }
}

export function startFakeResend(opts: { port?: number; apiKey?: string } = {}): Promise<FakeResend> {
  return new FakeResend(opts.apiKey).listen(opts.port);
}
