import { mintSessionToken } from "@/lib/dev-auth";
import type { Plan } from "@/lib/plans";
import type { Role } from "@/lib/roles";

// HTTP client for integration tests: the app stack started by `npm test` (or `npm run e2e:serve`).
export const APP_URL = process.env.APP_URL ?? `http://localhost:${process.env.E2E_APP_PORT ?? 3100}`;

export type Who = { userId: string; orgId?: string; orgRole?: Role; plan?: Plan; claims?: Record<string, unknown> } | string | null;

export function tokenFor(who: Who): string | null {
  if (who === null) return null;
  if (typeof who === "string") return who; // a raw token
  // azp is the app under test's origin, whatever APP_URL a test sets in its own process (tokens for any
  // other origin are refused).
  return mintSessionToken({ plan: "team", ...who, claims: { ...who.claims, azp: new URL(APP_URL).origin } });
}

export async function api(method: string, path: string, who: Who, body?: unknown, headers: Record<string, string> = {}) {
  const token = tokenFor(who);
  const res = await fetch(`${APP_URL}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined && typeof body !== "string" ? { "content-type": "application/json" } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    redirect: "manual",
  });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = text;
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test ergonomics: bodies are asserted field by field
  return { status: res.status, body: json as any, headers: res.headers };
}
