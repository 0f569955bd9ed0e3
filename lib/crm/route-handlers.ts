import "server-only";
import { createHash } from "node:crypto";
import { json, readJson, readQuery, toErrorResponse, withAuth, type AuthOptions } from "@/lib/http";
import { finishConnect, startConnect } from "./connect";
import { authorizeBodySchema, callbackQuerySchema } from "./connect-schemas";
import type { OAuthProvider } from "./providers";

// The routes each OAuth provider has, built once: the files under app/api/crm-connections only name
// their provider.
//
// The callback is two requests. The provider sends the browser to GET …/callback/<provider> from its
// own site, and Clerk treats a document GET with a cross-site Referer as needing a session handshake
// (an API route answers that 401), so the GET carries no session: it checks the query's shape and
// answers a page whose script posts code and state to the same URL as JSON. That POST is same-origin,
// carries the session cookie, and finishes the connect for the signed-in tenant the state was made for.

/** POST /api/crm-connections/{provider}/authorize -> { authorize_url, expires_at } */
export const authorizeRoute = (provider: OAuthProvider, options: AuthOptions) =>
  withAuth(async ({ req, tenant }) => json(await startConnect(tenant.ownerId, provider, await readJson(req, authorizeBodySchema))), options);

const FINISH_SCRIPT =
  "const q=JSON.parse(document.getElementById('q').textContent);" +
  "fetch(location.pathname,{method:'POST',headers:{'content-type':'application/json'},body:JSON.stringify(q)})" +
  ".then(r=>r.json()).then(b=>{if(b.redirect_to)location.replace(b.redirect_to);else document.getElementById('m').textContent=(b.error&&b.error.message)||'The connection failed';})" +
  ".catch(()=>{document.getElementById('m').textContent='Revwatch could not be reached; try connecting again';});";
const SCRIPT_HASH = createHash("sha256").update(FINISH_SCRIPT).digest("base64");

/** GET …/callback/{provider}: a malformed query is a 4xx; otherwise the page that posts it back. */
export const callbackPageRoute = () => async (req: Request) => {
  try {
    const query = readQuery(req, callbackQuerySchema);
    // A JSON data block: "<" escaped so no value can close the element.
    const data = JSON.stringify(query).replace(/</g, "\\u003c");
    const html =
      `<!doctype html><html><head><meta charset="utf-8"><title>Connecting your CRM · Revwatch</title></head><body>` +
      `<p id="m" role="status">Finishing the connection…</p><script type="application/json" id="q">${data}</script>` +
      `<script>${FINISH_SCRIPT}</script></body></html>`;
    return new Response(html, {
      headers: {
        "content-type": "text/html; charset=utf-8",
        "cache-control": "no-store",
        "referrer-policy": "no-referrer",
        "content-security-policy": `default-src 'none'; script-src 'sha256-${SCRIPT_HASH}'; connect-src 'self'; base-uri 'none'; form-action 'none'`,
      },
    });
  } catch (err) {
    return toErrorResponse(err, { method: req.method, url: req.url });
  }
};

/** POST …/callback/{provider}: where the browser goes next, the CRM page with the new connection or why the provider refused. */
export const callbackRoute = (provider: OAuthProvider, options: AuthOptions) =>
  withAuth(async ({ req, tenant }) => {
    const outcome = await finishConnect(tenant.ownerId, provider, await readJson(req, callbackQuerySchema), tenant.userId);
    const to = new URLSearchParams(outcome.ok ? { connected: outcome.connectionId } : { connect_error: outcome.code });
    return json({ redirect_to: `/crm?${to}` });
  }, options);
