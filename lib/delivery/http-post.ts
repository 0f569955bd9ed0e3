// JSON POST to a user-chosen URL (Slack webhooks). Every failure becomes a DeliveryError whose
// `retryable` tells the caller whether trying again can help. Error messages never include the
// URL: a Slack webhook URL is itself the secret.
import { DeliveryError, assertSafeDestination } from "@/lib/delivery/url-safety";

export type PostJsonOptions = {
  timeoutMs?: number;
  maxResponseBytes?: number;
  headers?: Record<string, string>;
  /** Test-only: let the loopback fakes through. The caller derives it from an env flag refused in production. */
  allowLoopback?: boolean;
};

export type PostJsonResult = { status: number; bodyText: string };

/** Slack's answers meaning the webhook will never work again until someone reconfigures it. */
const SLACK_DEAD_WEBHOOK = new Set([
  "no_service",
  "invalid_token",
  "no_active_hooks",
  "no_team",
  "team_disabled",
  "team_not_found",
  "channel_not_found",
  "channel_is_archived",
]);

/** Rejects when the signal fires, for steps (DNS) that take no signal of their own. */
function raceSignal<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}

/** Reads up to maxBytes and drops the rest: a hostile endpoint must not make us buffer megabytes. */
async function readCapped(res: Response, maxBytes: number): Promise<string> {
  if (!res.body) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    while (total < maxBytes) {
      const { done, value } = await reader.read();
      if (done) break;
      const room = maxBytes - total;
      const chunk = value.byteLength > room ? value.subarray(0, room) : value;
      chunks.push(chunk);
      total += chunk.byteLength;
    }
  } finally {
    // Closes the connection instead of draining what we will not read.
    await reader.cancel().catch(() => {});
  }
  const buf = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    buf.set(c, offset);
    offset += c.byteLength;
  }
  return new TextDecoder().decode(buf);
}

function snippet(text: string): string {
  const t = text.replace(/\s+/g, " ").trim();
  return t.length > 200 ? `${t.slice(0, 200)}…` : t;
}

function errorForStatus(status: number, bodyText: string): DeliveryError {
  const body = bodyText.trim();
  const detail = body ? `: ${snippet(body)}` : "";
  if (status === 429) return new DeliveryError(`Rate limited (429)${detail}`, { code: "rate_limited", retryable: true, status });
  if (status === 408) return new DeliveryError(`Request timeout (408)${detail}`, { code: "request_timeout", retryable: true, status });
  if (status >= 500) return new DeliveryError(`Server error (${status})${detail}`, { code: "http_5xx", retryable: true, status });
  if (status >= 400 && SLACK_DEAD_WEBHOOK.has(body)) {
    return new DeliveryError(`Slack webhook no longer works (${status} ${body}); reconnect Slack`, {
      code: "slack_webhook_revoked",
      retryable: false,
      status,
    });
  }
  if (status >= 400) return new DeliveryError(`Request rejected (${status})${detail}`, { code: "http_4xx", retryable: false, status });
  return new DeliveryError(`Unexpected status ${status}`, { code: "invalid_response", retryable: false, status });
}

function errorForThrown(err: unknown, signal: AbortSignal, timeoutMs: number): DeliveryError {
  if (err instanceof DeliveryError) return err;
  if (signal.aborted) {
    return new DeliveryError(`Timed out after ${timeoutMs} ms`, { code: "timeout", retryable: true, cause: err });
  }
  // undici wraps the socket error: TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } }).
  const cause = err instanceof Error ? (err.cause as NodeJS.ErrnoException | undefined) : undefined;
  const why = cause?.code ?? (err instanceof Error ? err.message : String(err));
  return new DeliveryError(`Connection failed (${why})`, { code: "network_error", retryable: true, cause: err });
}

function withoutContentType(headers: Record<string, string> = {}): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([k]) => k.toLowerCase() !== "content-type"));
}

export async function postJson(url: string, body: unknown, opts: PostJsonOptions = {}): Promise<PostJsonResult> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const maxResponseBytes = opts.maxResponseBytes ?? 64 * 1024;
  const signal = AbortSignal.timeout(timeoutMs);

  let res: Response;
  let bodyText: string;
  try {
    await raceSignal(assertSafeDestination(url, { allowLoopback: opts.allowLoopback }), signal);
    res = await fetch(url, {
      method: "POST",
      headers: { ...withoutContentType(opts.headers), "content-type": "application/json" },
      body: JSON.stringify(body),
      // Following a redirect would skip the destination check above.
      redirect: "manual",
      signal,
    });
    bodyText = await readCapped(res, maxResponseBytes);
  } catch (err) {
    throw errorForThrown(err, signal, timeoutMs);
  }

  if (res.type === "opaqueredirect" || (res.status >= 300 && res.status < 400)) {
    throw new DeliveryError(`Refused to follow a redirect (${res.status})`, {
      code: "redirect",
      retryable: false,
      status: res.status,
    });
  }
  if (res.status < 200 || res.status >= 300) throw errorForStatus(res.status, bodyText);
  return { status: res.status, bodyText };
}
