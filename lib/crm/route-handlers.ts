import "server-only";
import { NextResponse } from "next/server";
import { env } from "@/lib/env";
import { json, readJson, readQuery, withAuth } from "@/lib/http";
import { finishConnect, startConnect } from "./connect";
import { authorizeBodySchema, callbackQuerySchema } from "./connect-schemas";
import type { OAuthProvider } from "./providers";

// The two routes each OAuth provider has, built once: the files under app/api/crm-connections only
// name their provider.

/** POST /api/crm-connections/{provider}/authorize -> { authorize_url, expires_at } */
export const authorizeRoute = (provider: OAuthProvider) =>
  withAuth(async ({ req, tenant }) => json(await startConnect(tenant.ownerId, provider, await readJson(req, authorizeBodySchema))));

/**
 * GET /api/crm-connections/callback/{provider}: the provider sends the browser here. A bad state is a
 * 400; otherwise back to the CRM page, which shows the new connection or why the provider refused.
 */
export const callbackRoute = (provider: OAuthProvider) =>
  withAuth(async ({ req, tenant }) => {
    const outcome = await finishConnect(tenant.ownerId, provider, readQuery(req, callbackQuerySchema));
    const to = new URL("/crm", env().OAUTH_REDIRECT_BASE_URL ?? env().APP_URL);
    if (outcome.ok) to.searchParams.set("connected", outcome.connectionId);
    else to.searchParams.set("connect_error", outcome.reason.slice(0, 300));
    return NextResponse.redirect(to, 303);
  });
