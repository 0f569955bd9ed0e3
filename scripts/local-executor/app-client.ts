// How the executor talks to the app's serve endpoint (/api/inngest): in-band sync (PUT) and step
// requests (POST), signed like Inngest Cloud when a signing key is set, every answer read within
// a deadline.
import { ProtocolError } from "./drive";
import { fetchWithTimeout, sign, toJson, unwrapStream, verifySignature, type Fetcher, type FnConfig, type JsonObject, type Reply } from "./protocol";

export interface AppClientOptions {
  signingKey?: string;
  fetcher?: Fetcher;
  requestTimeoutMs?: number;
}

export type SyncAnswer = { inBand: true; appId: string; functions: FnConfig[] } | { inBand: false; text: string };

export class AppClient {
  constructor(
    private readonly opts: AppClientOptions,
    private readonly warnOnce: (key: string, msg: string) => void,
  ) {}

  /** In-band sync: PUT the serve URL; the SDK answers with every function's config. */
  async sync(serveUrl: string): Promise<SyncAnswer> {
    const body = toJson({ url: serveUrl });
    const reply = await this.fetch(serveUrl, { method: "PUT", headers: this.headers(body, { "x-inngest-sync-kind": "in_band" }), body });
    if (reply.status !== 200) throw new Error(`sync(${serveUrl}): HTTP ${reply.status} ${reply.text.slice(0, 300)}`);
    if (reply.headers.get("x-inngest-sync-kind") !== "in_band") return { inBand: false, text: reply.text };
    this.checkAnswerSignature(reply);
    const res = JSON.parse(reply.text) as { app_id: string; functions: FnConfig[] };
    return { inBand: true, appId: res.app_id, functions: res.functions };
  }

  async call(url: string, body: JsonObject, version: number): Promise<Reply> {
    const text = toJson(body);
    const reply = unwrapStream(await this.fetch(url, { method: "POST", headers: this.headers(text, { "x-inngest-req-version": String(version) }), body: text }));
    if (reply.status === 200 || reply.status === 206) this.checkAnswerSignature(reply);
    return reply;
  }

  private headers(body: string, extra: Record<string, string> = {}): Record<string, string> {
    const h: Record<string, string> = { "content-type": "application/json", "x-inngest-server-kind": this.opts.signingKey ? "cloud" : "dev", ...extra };
    if (this.opts.signingKey) h["x-inngest-signature"] = sign(body, this.opts.signingKey);
    return h;
  }

  private fetch(url: string, init: RequestInit): Promise<Reply> {
    return fetchWithTimeout(this.opts.fetcher ?? fetch, url, init, this.opts.requestTimeoutMs ?? 30_000);
  }

  // A cloud-mode SDK signs every answer; an unsigned one means the app runs in dev mode.
  private checkAnswerSignature(reply: Reply) {
    const key = this.opts.signingKey;
    if (!key) return;
    const signature = reply.headers.get("x-inngest-signature");
    if (!signature) this.warnOnce("unsigned", "unsigned answer: the app is in dev mode, so it checks no signatures");
    else if (!verifySignature(reply.text, signature, key)) throw new ProtocolError("the app's answer has an invalid x-inngest-signature (signing keys differ?)");
  }
}
