// The OAuth 2 half every fake CRM shares: a consent page with Allow / Deny that redirects to the
// callback with code and state, a token endpoint (authorization_code, refresh_token) that rotates
// refresh tokens and refuses a spent one, and bearer checks for the API half. Error bodies are the
// provider's own (passed in), so the app meets the real shapes.
import { createHash, randomBytes } from "node:crypto";
import type http from "node:http";

export type TokenAnswerExtras = () => Record<string, unknown>;
type Grant = { redirectUri: string; challenge?: string };

const rand = (prefix: string) => `${prefix}${randomBytes(18).toString("base64url")}`;
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export class FakeOAuth {
  clientId = "fake-client-id-123";
  clientSecret = "fake-client-secret-456";
  /** Seconds an access token lives (HubSpot sends it as expires_in; Salesforce does not say). */
  accessTtlSeconds = 1800;
  /** Each refresh hands out a new refresh token and the old one stops working. */
  rotateRefreshTokens = true;
  readonly tokenRequests: { grantType: string; ok: boolean }[] = [];
  /** Called before each refresh_token request is judged (n counts from 1): tests revoke the app mid-run here. */
  onRefresh: ((n: number) => void) | null = null;
  readonly revokedTokens: string[] = [];
  private readonly codes = new Map<string, Grant>();
  private readonly refreshTokens = new Set<string>();
  private readonly accessTokens = new Map<string, number>();
  /** Every token ever issued: tests scan app output for them. */
  readonly issued: string[] = [];

  constructor(private readonly deadGrantBody: (reason: string) => Record<string, unknown>) {}

  refreshCount(): number {
    return this.tokenRequests.filter((r) => r.grantType === "refresh_token" && r.ok).length;
  }

  /** Every refresh token stops working (the user revoked the app). */
  revokeAll(): void {
    this.refreshTokens.clear();
    this.accessTokens.clear();
  }

  /** Every access token expires now (the next call gets a 401). */
  expireAccessTokens(): void {
    for (const t of this.accessTokens.keys()) this.accessTokens.set(t, 0);
  }

  /** Whether an Authorization header carries a live access token: "ok", "expired" or "invalid". */
  checkBearer(header: string | undefined): "ok" | "expired" | "invalid" {
    const token = header?.startsWith("Bearer ") ? header.slice(7) : "";
    const exp = this.accessTokens.get(token);
    if (exp === undefined) return "invalid";
    return exp > Date.now() ? "ok" : "expired";
  }

  /** GET authorize: the consent page. */
  consentPage(url: URL, res: http.ServerResponse, provider: string, decidePath: string): void {
    const q = url.searchParams;
    if (q.get("client_id") !== this.clientId || !q.get("redirect_uri")) {
      res.writeHead(400, { "content-type": "text/html" }).end("<h1>Invalid client_id or redirect_uri</h1>");
      return;
    }
    const hidden = [...q].map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`).join("");
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(
      `<!doctype html><html><head><title>${provider} - authorize Revwatch</title></head><body>` +
        `<h1>Allow Revwatch to read your ${provider} deals?</h1><form method="get" action="${decidePath}">${hidden}` +
        `<button type="submit" name="decision" value="allow">Allow</button> <button type="submit" name="decision" value="deny">Deny</button></form></body></html>`,
    );
  }

  /** The consent decision: back to the app's callback with code and state (or error=access_denied). */
  decide(url: URL, res: http.ServerResponse): void {
    const q = url.searchParams;
    const back = new URL(q.get("redirect_uri")!);
    const state = q.get("state") ?? "";
    if (q.get("decision") !== "allow") {
      back.search = new URLSearchParams({ error: "access_denied", error_description: "end-user denied authorization", state }).toString();
    } else {
      const code = rand("code-");
      this.codes.set(code, { redirectUri: q.get("redirect_uri")!, challenge: q.get("code_challenge") ?? undefined });
      back.search = new URLSearchParams({ code, state }).toString();
    }
    res.writeHead(302, { location: back.toString() }).end();
  }

  /** POST token, form-encoded. Returns [status, body]. */
  token(form: URLSearchParams, extras: TokenAnswerExtras): [number, Record<string, unknown>] {
    const grantType = form.get("grant_type") ?? "";
    const fail = (status: number, body: Record<string, unknown>): [number, Record<string, unknown>] => {
      this.tokenRequests.push({ grantType, ok: false });
      return [status, body];
    };
    if (form.get("client_id") !== this.clientId || form.get("client_secret") !== this.clientSecret) {
      return fail(401, { error: "invalid_client", error_description: "invalid client credentials" });
    }
    if (grantType === "authorization_code") {
      const grant = this.codes.get(form.get("code") ?? "");
      if (!grant || grant.redirectUri !== form.get("redirect_uri")) return fail(400, this.deadGrantBody("invalid authorization code"));
      this.codes.delete(form.get("code")!);
      if (grant.challenge) {
        const verifier = form.get("code_verifier") ?? "";
        if (createHash("sha256").update(verifier).digest("base64url") !== grant.challenge) return fail(400, this.deadGrantBody("invalid code verifier"));
      }
    } else if (grantType === "refresh_token") {
      this.onRefresh?.(this.tokenRequests.filter((r) => r.grantType === "refresh_token").length + 1);
      const rt = form.get("refresh_token") ?? "";
      if (!this.refreshTokens.has(rt)) return fail(400, this.deadGrantBody("refresh token is invalid, expired or revoked"));
      if (this.rotateRefreshTokens) this.refreshTokens.delete(rt);
    } else {
      return fail(400, { error: "unsupported_grant_type", error_description: "grant type not supported" });
    }
    const access = rand("at-");
    this.accessTokens.set(access, Date.now() + this.accessTtlSeconds * 1000);
    const body: Record<string, unknown> = { access_token: access, token_type: "bearer", ...extras() };
    this.issued.push(access);
    if (grantType === "authorization_code" || this.rotateRefreshTokens) {
      const refresh = rand("rt-");
      this.refreshTokens.add(refresh);
      this.issued.push(refresh);
      body.refresh_token = refresh;
    }
    this.tokenRequests.push({ grantType, ok: true });
    return [200, body];
  }

  /** Tokens as a finished connect flow would hold them, for tests that start from a connected account. */
  mint(): { accessToken: string; refreshToken: string; expiresIn: number } {
    const accessToken = rand("at-");
    const refreshToken = rand("rt-");
    this.accessTokens.set(accessToken, Date.now() + this.accessTtlSeconds * 1000);
    this.refreshTokens.add(refreshToken);
    this.issued.push(accessToken, refreshToken);
    return { accessToken, refreshToken, expiresIn: this.accessTtlSeconds };
  }

  revoke(token: string): boolean {
    const had = this.refreshTokens.delete(token);
    if (had) this.revokedTokens.push(token);
    return had;
  }

  reset(): void {
    this.tokenRequests.length = 0;
    this.revokedTokens.length = 0;
    this.codes.clear();
    this.refreshTokens.clear();
    this.accessTokens.clear();
    this.issued.length = 0;
    this.accessTtlSeconds = 1800;
    this.rotateRefreshTokens = true;
    this.onRefresh = null;
  }
}
