import "server-only";
import { crmConnectionAudit } from "@/lib/audit/entries";
import { recordAudit } from "@/lib/audit/record";
import { decrypt } from "@/lib/crypto";
import { forTenant, SHORT_TX, systemDb } from "@/lib/db";
import { AppError, notFound } from "@/lib/errors";
import { log } from "@/lib/log";
import type { ConnectErrorCode } from "./connect-errors";
import type { AuthorizeBody, CallbackQuery } from "./connect-schemas";
import { toDto } from "./connections";
import { authorizeUrl, exchangeCode, revokeToken } from "./oauth";
import { consumeState, newPkce, sealState, STATE_TTL_MS } from "./oauth-state";
import { isMyDomainUrl, missingEnv, PROVIDER_LABEL, salesforceLoginUrl, type OAuthProvider } from "./providers";
import { forgetPacing } from "./pacing";
import { tokenColumns } from "./tokens";
import { isCrmError } from "./types";

// The connect flow: an authorize link with a sealed, tenant-bound, one-time state (PKCE for
// Salesforce) -> the provider's consent page -> the callback exchanges the code and stores the tokens
// encrypted. Reconnect runs the same flow for an existing connection.

const DB_PROVIDER = { hubspot: "HUBSPOT", salesforce: "SALESFORCE" } as const;

export async function startConnect(ownerId: string, provider: OAuthProvider, body: AuthorizeBody, now = Date.now()) {
  const missing = missingEnv(provider);
  if (missing.length) {
    throw new AppError("crm_not_configured", `${PROVIDER_LABEL[provider]} is not set up on this server: set ${missing.join(" and ")}`, { missing });
  }
  if (body.connection_id !== undefined) {
    const existing = await forTenant(ownerId).crmConnection.findFirst({ where: { id: body.connection_id, provider: DB_PROVIDER[provider] }, select: { id: true } });
    if (!existing) throw notFound("CRM connection");
  }
  let loginUrl: string | undefined;
  let pkce: ReturnType<typeof newPkce> | undefined;
  if (provider === "salesforce") {
    if (body.login === "my_domain" && !(body.my_domain_url && isMyDomainUrl(body.my_domain_url))) {
      throw new AppError("validation_error", "The request is invalid", [
        { path: "my_domain_url", message: "Give your My Domain login URL, like https://acme.my.salesforce.com", code: "invalid_format" },
      ]);
    }
    loginUrl = salesforceLoginUrl({ kind: body.login ?? "production", myDomainUrl: body.my_domain_url });
    pkce = newPkce();
  } else if (body.login !== undefined || body.my_domain_url !== undefined) {
    throw new AppError("validation_error", "The request is invalid", [{ path: "login", message: "Only Salesforce has login hosts", code: "unrecognized_keys" }]);
  }
  const kind = provider === "salesforce" ? (body.login ?? "production") : undefined;
  const state = sealState({ o: ownerId, p: provider, v: pkce?.verifier, l: loginUrl, k: kind, c: body.connection_id, m: body.name }, now);
  return {
    authorize_url: authorizeUrl(provider, state, { codeChallenge: pkce?.challenge, loginUrl }),
    expires_at: new Date(now + STATE_TTL_MS).toISOString(),
  };
}

export type CallbackOutcome = { ok: true; connectionId: string } | { ok: false; code: ConnectErrorCode };

/** The provider sent the browser back. A bad state throws (400); a refusal is an outcome the page shows. */
export async function finishConnect(ownerId: string, provider: OAuthProvider, q: CallbackQuery, actorId: string): Promise<CallbackOutcome> {
  const state = await consumeState(q.state, ownerId, provider);
  if (q.error || !q.code) return { ok: false, code: q.error === "access_denied" ? "access_denied" : "provider_refused" };
  let tokens;
  try {
    tokens = await exchangeCode(provider, q.code, { codeVerifier: state.v, loginUrl: state.l });
  } catch (err) {
    if (!isCrmError(err)) throw err;
    log.warn({ event: "crm.connect_failed", owner_id: ownerId, provider, code: err.code }, "crm.connect_failed");
    return { ok: false, code: "token_exchange_failed" };
  }
  if (!tokens.refreshToken) return { ok: false, code: "no_refresh_token" };
  const db = forTenant(ownerId);
  const data = {
    ...tokenColumns(tokens), status: "ACTIVE" as const, expiredAt: null, loginUrl: state.l ?? null,
    externalAccountId: tokens.accountId ?? null, lastTestMessage: null, lastTestOk: null,
  };
  // Reconnect: the connection the user picked, else the one already linked to this account.
  const target = state.c
    ? await db.crmConnection.findFirst({ where: { id: state.c, provider: DB_PROVIDER[provider] }, select: { id: true, name: true } })
    : tokens.accountId
      ? await db.crmConnection.findFirst({ where: { provider: DB_PROVIDER[provider], externalAccountId: tokens.accountId }, select: { id: true, name: true } })
      : null;
  if (target) {
    await db.$transaction(async (tx) => {
      await tx.crmConnection.updateMany({ where: { id: target.id }, data });
      await recordAudit(tx, crmConnectionAudit(ownerId, actorId, "crm.reconnected", provider, target));
    }, SHORT_TX);
    log.info({ event: "crm.reconnected", owner_id: ownerId, connection_id: target.id, provider }, "crm.reconnected");
    return { ok: true, connectionId: target.id };
  }
  const sandbox = state.k === "sandbox" ? " (sandbox)" : "";
  const created = await db.$transaction(async (tx) => {
    const row = await tx.crmConnection.create({
      data: { ownerId, provider: DB_PROVIDER[provider], name: state.m ?? `${PROVIDER_LABEL[provider]}${sandbox}`, ...data },
      select: { id: true, name: true },
    });
    await recordAudit(tx, crmConnectionAudit(ownerId, actorId, "crm.connected", provider, row));
    return row;
  }, SHORT_TX);
  log.info({ event: "crm.connected", owner_id: ownerId, connection_id: created.id, provider }, "crm.connected");
  return { ok: true, connectionId: created.id };
}

export async function renameConnection(ownerId: string, actorId: string, id: string, name: string) {
  const db = forTenant(ownerId);
  await db.$transaction(async (tx) => {
    const before = await tx.crmConnection.findFirst({ where: { id }, select: { name: true } });
    const { count } = await tx.crmConnection.updateMany({ where: { id }, data: { name } });
    if (!count || !before) throw notFound("CRM connection");
    await recordAudit(tx, {
      ownerId, actorId, action: "crm.renamed", targetType: "crm_connection", targetId: id,
      summary: `Renamed CRM connection "${before.name}" to "${name}"`, details: { from: before.name, to: name },
    });
  }, SHORT_TX);
  return toDto((await db.crmConnection.findFirst({ where: { id } }))!);
}

/**
 * Deletes a connection no schedule uses, revoking its token where the provider offers it. The row is
 * locked first (FOR UPDATE): a schedule insert naming it holds KEY SHARE on it until it commits, so the
 * check below sees that schedule (409), and an insert arriving later waits and then finds no connection
 * (lib/schedules/service.ts locks it the same way). No FK error reaches the caller as a 500.
 */
export async function deleteConnection(ownerId: string, actorId: string, id: string): Promise<void> {
  const conn = await systemDb().$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "CrmConnection" WHERE id = ${id} AND "ownerId" = ${ownerId} FOR UPDATE`;
    if (!locked.length) throw notFound("CRM connection");
    const schedules = await tx.scheduledReview.findMany({ where: { crmConnectionId: id, ownerId }, select: { id: true, name: true }, orderBy: { name: "asc" } });
    if (schedules.length) {
      throw new AppError("connection_in_use", `${schedules.length} schedule(s) use this connection: ${schedules.map((s) => s.name).join(", ")}`.slice(0, 500), { schedules });
    }
    const row = await tx.crmConnection.findFirstOrThrow({ where: { id, ownerId } });
    await tx.crmConnection.deleteMany({ where: { id, ownerId } });
    await recordAudit(tx, {
      ownerId, actorId, action: "crm.deleted", targetType: "crm_connection", targetId: id,
      summary: `Deleted CRM connection "${row.name}"`, details: { provider: row.provider.toLowerCase() },
    });
    return row;
  }, SHORT_TX);
  await forgetPacing(id);
  if (conn.refreshTokenEnc && conn.provider !== "DEMO") {
    const revoked = await revokeToken(conn.provider === "HUBSPOT" ? "hubspot" : "salesforce", decrypt(conn.refreshTokenEnc), conn.loginUrl ?? undefined);
    log.info({ event: "crm.deleted", owner_id: ownerId, connection_id: id, revoked }, "crm.deleted");
  }
}
