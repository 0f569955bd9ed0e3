import "server-only";
import { createHash } from "node:crypto";
import { NextResponse } from "next/server";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { inputProblems, json, MAX_BODY_BYTES, readJson, readLimited, readQuery, toErrorResponse, withAuth } from "@/lib/http";
import { finishConnect, startConnect } from "./connect";
import { authorizeBodySchema, callbackQuerySchema } from "./connect-schemas";
import type { OAuthProvider } from "./providers";

// The routes each OAuth provider has, built once: the files under app/api/crm-connections only name
// their provider.
//
// The callback is two requests. The provider sends the browser to GET …/callback/<provider> from its
// own site, and Clerk treats a document GET with a cross-site Referer as needing a session handshake
// (an API route answers that 401), so the GET carries no session: it checks the query's shape and
// answers a page that re-posts code and state to the same URL. That POST is same-origin, carries the
// session cookie, and finishes the connect for the signed-in tenant the state was made for.

/** POST /api/crm-connections/{provider}/authorize -> { authorize_url, expires_at } */
export const authorizeRoute = (provider: OAuthProvider) =>
  withAuth(async ({ req, tenant }) => json(await startConnect(tenant.ownerId, provider, await readJson(req, authorizeBodySchema))));

const SUBMIT_SCRIPT = "document.getElementById('continue').submit();";
const SCRIPT_HASH = createHash("sha256").update(SUBMIT_SCRIPT).digest("base64");
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** GET …/callback/{provider}: a malformed query is a 4xx; otherwise the page that posts it back. */
export const callbackPageRoute = (provider: OAuthProvider) => async (req: Request) => {
  try {
    const query = readQuery(req, callbackQuerySchema);
    const fields = Object.entries(query).map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(String(v))}">`).join("");
    const html =
      `<!doctype html><html><head><meta charset="utf-8"><meta name="referrer" content="same-origin"><title>Connecting your CRM · Revwatch</title></head>` +
      `<body><form id="continue" method="post" action="/api/crm-connections/callback/${provider}">${fields}` +
      `<p>Finishing the connection…</p><button type="submit">Continue</button></form><script>${SUBMIT_SCRIPT}</script></body></html>`;
    return new Response(html, {
      headers: {
        "content-type": "text/html; charset=utf-8",
        "cache-control": "no-store",
        "content-security-policy": `default-src 'none'; script-src 'sha256-${SCRIPT_HASH}'; form-action 'self'; base-uri 'none'`,
      },
    });
  } catch (err) {
    return toErrorResponse(err, { method: req.method, url: req.url });
  }
};

async function readForm(req: Request): Promise<Record<string, string>> {
  if (!/^application\/x-www-form-urlencoded\b/i.test(req.headers.get("content-type") ?? "")) {
    throw new AppError("unsupported_media_type", "Send the callback as application/x-www-form-urlencoded");
  }
  const form = new URLSearchParams(new TextDecoder().decode(await readLimited(req, MAX_BODY_BYTES)));
  const out: Record<string, string> = Object.create(null);
  for (const [k, v] of form) {
    if (k in out) throw new AppError("validation_error", "The request is invalid", [{ path: k, message: "Give this field at most once", code: "invalid_type" }]);
    out[k] = v;
  }
  const problems = inputProblems(out);
  if (problems.length) throw new AppError("validation_error", "The request is invalid", problems);
  return { ...out };
}

/** POST …/callback/{provider}: back to the CRM page with the new connection, or why the provider refused. */
export const callbackRoute = (provider: OAuthProvider) =>
  withAuth(async ({ req, tenant }) => {
    const outcome = await finishConnect(tenant.ownerId, provider, callbackQuerySchema.parse(await readForm(req)));
    const to = new URL("/crm", env().OAUTH_REDIRECT_BASE_URL ?? env().APP_URL);
    if (outcome.ok) to.searchParams.set("connected", outcome.connectionId);
    else to.searchParams.set("connect_error", outcome.reason.slice(0, 300));
    return NextResponse.redirect(to, 303);
  });
