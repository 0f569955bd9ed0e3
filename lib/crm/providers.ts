import "server-only";
import { env } from "@/lib/env";

// The OAuth apps Revwatch connects through, read from the environment. Base URLs default to the real
// hosts; tests and local development point them at the loopback fakes (tests/support/fake-*.ts).

export type OAuthProvider = "hubspot" | "salesforce";
export const OAUTH_PROVIDERS: readonly OAuthProvider[] = ["hubspot", "salesforce"];
export const PROVIDER_LABEL = { demo: "Demo CRM", hubspot: "HubSpot", salesforce: "Salesforce" } as const;

/** Salesforce REST API version, pinned here only (Spring '26; a retired version answers 410). */
export const SALESFORCE_API_VERSION = "v66.0";
/** HubSpot's token revocation (OAuth 2026-03 API: form-encoded client_id, client_secret, token, token_type_hint). */
export const HUBSPOT_REVOKE_PATH = "/oauth/2026-03/token/revoke";
export const HUBSPOT_SCOPES = ["crm.objects.deals.read", "crm.objects.owners.read"] as const;

export type ProviderConfig = {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
};

const ENV_NAMES = {
  hubspot: ["HUBSPOT_CLIENT_ID", "HUBSPOT_CLIENT_SECRET"],
  salesforce: ["SALESFORCE_CLIENT_ID", "SALESFORCE_CLIENT_SECRET"],
} as const;

/** The env vars a provider still needs before anyone can connect it (empty: ready). */
export function missingEnv(provider: OAuthProvider): string[] {
  const e = env();
  return ENV_NAMES[provider].filter((name) => !e[name]);
}

export function redirectUri(provider: OAuthProvider): string {
  const base = env().OAUTH_REDIRECT_BASE_URL ?? env().APP_URL;
  return new URL(`/api/crm-connections/callback/${provider}`, base).toString();
}

/** The OAuth app of a provider, or null when its client id or secret is unset. */
export function providerConfig(provider: OAuthProvider): ProviderConfig | null {
  if (missingEnv(provider).length) return null;
  const [idName, secretName] = ENV_NAMES[provider];
  return { clientId: env()[idName]!, clientSecret: env()[secretName]!, redirectUri: redirectUri(provider) };
}

export type SalesforceLogin = { kind: "production" | "sandbox" | "my_domain"; myDomainUrl?: string };

/**
 * Salesforce's My Domain login hosts: <name>.my.salesforce.com (production, Trailhead Playground, and
 * sandboxes without enhanced domains as <name>--<sandbox>.my.salesforce.com), and the partitioned ones:
 * <name>--<sandbox>.sandbox.my.salesforce.com, <name>-dev-ed.develop.my.salesforce.com, and the scratch,
 * demo, patch, trailblaze and free partitions. Nothing outside *.my.salesforce.com passes (SSRF).
 */
const MY_DOMAIN_HOST = /^[a-z0-9](?:[a-z0-9-]{0,80}[a-z0-9])?(?:\.(?:sandbox|develop|scratch|demo|patch|trailblaze|free))?\.my\.salesforce\.com$/;

/** True for an https My Domain login host (https://acme.my.salesforce.com, the partitioned ones included). */
export function isMyDomainUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === "https:" && MY_DOMAIN_HOST.test(u.hostname) && !u.port && (u.pathname === "/" || u.pathname === "");
  } catch {
    return false;
  }
}

/** The login host tokens are requested from: the configured production or sandbox host, or the org's My Domain. */
export function salesforceLoginUrl(login: SalesforceLogin): string {
  if (login.kind === "sandbox") return env().SALESFORCE_SANDBOX_LOGIN_URL.replace(/\/$/, "");
  if (login.kind === "my_domain" && login.myDomainUrl && isMyDomainUrl(login.myDomainUrl)) return new URL(login.myDomainUrl).origin;
  return env().SALESFORCE_LOGIN_URL.replace(/\/$/, "");
}

/**
 * Salesforce names the API host (instance_url) in its token answer; only Salesforce hosts, or the
 * configured login host's own origin (the fakes), are accepted, so a forged answer cannot point the
 * connector (and its bearer token) at another server.
 */
export function isAllowedInstanceUrl(url: string, loginUrl: string): boolean {
  try {
    const u = new URL(url);
    if (u.origin === new URL(loginUrl).origin) return true;
    return u.protocol === "https:" && !u.port && /\.(?:salesforce|force|salesforce-setup|cloudforce)\.com$/.test(u.hostname);
  } catch {
    return false;
  }
}

export const hubspotApiBase = () => env().HUBSPOT_API_BASE_URL.replace(/\/$/, "");
