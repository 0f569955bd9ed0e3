import "server-only";
import { env } from "@/lib/env";
import { crmRequest } from "./http";
import { HUBSPOT_REVOKE_PATH, HUBSPOT_SCOPES, hubspotApiBase, isAllowedInstanceUrl, providerConfig, type OAuthProvider, type ProviderConfig } from "./providers";
import { CrmError } from "./types";

// The providers' OAuth 2 endpoints: authorize URL, code exchange, refresh, revoke. Token values
// never appear in an error message or a log line.

export type TokenSet = {
  accessToken: string;
  /** absent when the provider did not rotate it (keep the stored one) */
  refreshToken?: string;
  /** null when the provider does not say (Salesforce sessions last the org's timeout) */
  expiresAt: Date | null;
  /** Salesforce: the API host of the org */
  instanceUrl?: string;
  /** HubSpot hub id / Salesforce org id, when the answer names it */
  accountId?: string;
};

/** The refresh token is dead (revoked, expired, rotated away): only the user can fix it, by reconnecting. */
export class RefreshTokenDeadError extends CrmError {
  constructor(label: string, readonly reason: string) {
    super("crm_auth_expired", `${label} no longer accepts this connection's authorization (${reason}); reconnect it on the CRM page`);
    this.name = "RefreshTokenDeadError";
  }
}

const LABEL = { hubspot: "HubSpot", salesforce: "Salesforce" } as const;

function config(provider: OAuthProvider): ProviderConfig {
  const c = providerConfig(provider);
  if (!c) throw new CrmError("crm_unavailable", `${LABEL[provider]} is not configured on this server`, { retryable: false });
  return c;
}

export function authorizeUrl(provider: OAuthProvider, state: string, opts: { codeChallenge?: string; loginUrl?: string }): string {
  const c = config(provider);
  if (provider === "hubspot") {
    const u = new URL("/oauth/authorize", env().HUBSPOT_AUTH_BASE_URL);
    u.search = new URLSearchParams({ client_id: c.clientId, redirect_uri: c.redirectUri, scope: HUBSPOT_SCOPES.join(" "), state }).toString();
    return u.toString();
  }
  const u = new URL("/services/oauth2/authorize", opts.loginUrl);
  u.search = new URLSearchParams({
    response_type: "code", client_id: c.clientId, redirect_uri: c.redirectUri, state,
    code_challenge: opts.codeChallenge!, code_challenge_method: "S256", scope: "api refresh_token",
  }).toString();
  return u.toString();
}

const tokenUrl = (provider: OAuthProvider, loginUrl?: string) =>
  provider === "hubspot" ? `${hubspotApiBase()}${env().HUBSPOT_TOKEN_PATH}` : `${loginUrl}/services/oauth2/token`;

type TokenAnswer = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === "string" && v.length > 0 ? v : undefined);

async function tokenCall(provider: OAuthProvider, form: Record<string, string>, loginUrl?: string): Promise<TokenAnswer> {
  const c = config(provider);
  const body = new URLSearchParams({ ...form, client_id: c.clientId, client_secret: c.clientSecret });
  const res = await crmRequest(`${LABEL[provider]} token endpoint`, tokenUrl(provider, loginUrl), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
    body,
  });
  const answer = (res.body ?? {}) as TokenAnswer;
  if (res.status >= 200 && res.status < 300 && str(answer.access_token)) return answer;
  const error = str(answer.error) ?? "";
  const status = str(answer.status) ?? "";
  if (error === "invalid_grant" || status === "BAD_REFRESH_TOKEN") {
    throw new RefreshTokenDeadError(LABEL[provider], str(answer.error_description) ?? (status || error));
  }
  if (res.status === 429 || res.status >= 500) throw new CrmError("crm_unavailable", `${LABEL[provider]} token endpoint answered ${res.status}`);
  throw new CrmError("crm_bad_response", `${LABEL[provider]} refused the token request (${res.status}${error ? ` ${error}` : ""})`);
}

function toTokenSet(provider: OAuthProvider, a: TokenAnswer, loginUrl: string | undefined, now: number): TokenSet {
  const expiresIn = Number(a.expires_in);
  const set: TokenSet = {
    accessToken: a.access_token as string,
    refreshToken: str(a.refresh_token),
    expiresAt: Number.isFinite(expiresIn) && expiresIn > 0 ? new Date(now + expiresIn * 1000) : null,
  };
  if (provider === "salesforce") {
    const instanceUrl = str(a.instance_url);
    if (instanceUrl) {
      if (!loginUrl || !isAllowedInstanceUrl(instanceUrl, loginUrl)) throw new CrmError("crm_bad_response", "Salesforce named an instance host that is not Salesforce's");
      set.instanceUrl = new URL(instanceUrl).origin;
    }
    // id is https://login.salesforce.com/id/<orgId>/<userId>
    const org = str(a.id)?.split("/").at(-2);
    if (org) set.accountId = org;
  } else if (a.hub_id !== undefined) {
    set.accountId = String(a.hub_id);
  }
  return set;
}

export async function exchangeCode(provider: OAuthProvider, code: string, opts: { codeVerifier?: string; loginUrl?: string }): Promise<TokenSet> {
  const form: Record<string, string> = { grant_type: "authorization_code", code, redirect_uri: config(provider).redirectUri };
  if (opts.codeVerifier) form.code_verifier = opts.codeVerifier;
  return toTokenSet(provider, await tokenCall(provider, form, opts.loginUrl), opts.loginUrl, Date.now());
}

export async function refreshTokens(provider: OAuthProvider, refreshToken: string, loginUrl?: string): Promise<TokenSet> {
  return toTokenSet(provider, await tokenCall(provider, { grant_type: "refresh_token", refresh_token: refreshToken }, loginUrl), loginUrl, Date.now());
}

/** Best effort: a provider that is down must not keep a user from deleting the connection. */
export async function revokeToken(provider: OAuthProvider, refreshToken: string, loginUrl?: string): Promise<boolean> {
  try {
    const res =
      provider === "hubspot"
        ? await crmRequest("HubSpot token revoke", `${hubspotApiBase()}${HUBSPOT_REVOKE_PATH}`, {
            method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, timeoutMs: 10_000,
            body: new URLSearchParams({ client_id: config("hubspot").clientId, client_secret: config("hubspot").clientSecret, token: refreshToken, token_type_hint: "refresh_token" }),
          })
        : await crmRequest("Salesforce token revoke", `${loginUrl}/services/oauth2/revoke`, {
            method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ token: refreshToken }), timeoutMs: 10_000,
          });
    return res.status >= 200 && res.status < 300;
  } catch {
    return false;
  }
}
