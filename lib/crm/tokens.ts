import "server-only";
import { crmConnectionExpired } from "@/inngest/events";
import { decrypt, encrypt } from "@/lib/crypto";
import { forTenant, Prisma, systemDb } from "@/lib/db";
import { sendEvents } from "@/lib/inngest-send";
import { log } from "@/lib/log";
import { RefreshTokenDeadError, refreshTokens, type TokenSet } from "./oauth";
import type { OAuthProvider } from "./providers";
import { CrmError } from "./types";

// A connection's tokens: read, stored (encrypted), and refreshed. A refresh takes a row lock on the
// connection and holds it across the call to the provider, so two runs (or two app instances) that
// need a new token at once refresh once: the second waits, then finds the new token and uses it.
// A rotated refresh token spent twice would otherwise kill the connection.

export type LiveToken = { accessToken: string; instanceUrl: string | null; expiresAt: Date | null };
/** ensureFreshToken's answer: `refreshed` says whether this call refreshed (false: the stored token was still good). */
export type FreshToken = LiveToken & { refreshed: boolean };
/** A connection and its tenant: every token read and write filters by both. */
export type ConnectionKey = { connectionId: string; ownerId: string };
type LockedRow = {
  provider: string; status: string; accessTokenEnc: string | null; refreshTokenEnc: string | null;
  tokenExpiresAt: Date | null; loginUrl: string | null; instanceUrl: string | null;
};

const expiredError = (label: string) => new CrmError("crm_auth_expired", `The ${label} connection has expired; reconnect it on the CRM page`);
const label = (provider: string) => (provider === "SALESFORCE" ? "Salesforce" : "HubSpot");

/** The encrypted columns for a token answer; a refresh token the provider did not rotate is kept. */
export function tokenColumns(t: TokenSet) {
  return {
    accessTokenEnc: encrypt(t.accessToken),
    ...(t.refreshToken ? { refreshTokenEnc: encrypt(t.refreshToken) } : {}),
    tokenExpiresAt: t.expiresAt,
    ...(t.instanceUrl ? { instanceUrl: t.instanceUrl } : {}),
  };
}

export async function storedToken({ connectionId, ownerId }: ConnectionKey): Promise<LiveToken> {
  const row = await forTenant(ownerId).crmConnection.findFirst({
    where: { id: connectionId },
    select: { provider: true, status: true, accessTokenEnc: true, tokenExpiresAt: true, instanceUrl: true },
  });
  if (!row || !row.accessTokenEnc) throw new CrmError("crm_auth_expired", "The connection has no stored authorization; reconnect it on the CRM page");
  if (row.status === "EXPIRED") throw expiredError(label(row.provider));
  return { accessToken: decrypt(row.accessTokenEnc), instanceUrl: row.instanceUrl, expiresAt: row.tokenExpiresAt };
}

export type RefreshWhen =
  /** HubSpot: refresh unless the stored token is good for at least this long (ms) */
  | { aheadMs: number }
  /** Salesforce: the provider refused this token (INVALID_SESSION_ID); refresh unless it was replaced already */
  | { rejected: string }
  /** The provider refused a token twice: refresh whatever is stored, to learn whether the grant still lives */
  | { force: true };

/**
 * A token fit for use, refreshed if needed, serialised per connection. A dead refresh token marks the
 * connection expired (once: compare-and-set on its status) and throws crm_auth_expired.
 */
export async function ensureFreshToken(key: ConnectionKey, when: RefreshWhen, now = () => Date.now()): Promise<FreshToken> {
  const { connectionId, ownerId } = key;
  const outcome = await systemDb().$transaction(
    async (tx) => {
      const rows = await tx.$queryRaw<LockedRow[]>`
        SELECT provider::text AS provider, status::text AS status, "accessTokenEnc", "refreshTokenEnc", "tokenExpiresAt", "loginUrl", "instanceUrl"
        FROM "CrmConnection" WHERE id = ${connectionId} AND "ownerId" = ${ownerId} FOR UPDATE`;
      const row = rows[0];
      if (!row || !row.accessTokenEnc || !row.refreshTokenEnc) throw new CrmError("crm_auth_expired", "The connection has no stored authorization; reconnect it on the CRM page");
      if (row.status === "EXPIRED") throw expiredError(label(row.provider));
      const current = decrypt(row.accessTokenEnc);
      const stillGood =
        "force" in when
          ? false
          : "rejected" in when
            ? current !== when.rejected
            : row.tokenExpiresAt !== null && row.tokenExpiresAt.getTime() - now() > when.aheadMs;
      if (stillGood) return { token: { accessToken: current, instanceUrl: row.instanceUrl, expiresAt: row.tokenExpiresAt, refreshed: false } };
      const provider = row.provider.toLowerCase() as OAuthProvider;
      try {
        const fresh = await refreshTokens(provider, decrypt(row.refreshTokenEnc), row.loginUrl ?? undefined);
        await tx.crmConnection.updateMany({ where: { id: connectionId, ownerId }, data: { ...tokenColumns(fresh), status: "ACTIVE" } });
        log.info({ event: "crm.token_refreshed", connection_id: connectionId, provider }, "crm.token_refreshed");
        return { token: { accessToken: fresh.accessToken, instanceUrl: fresh.instanceUrl ?? row.instanceUrl, expiresAt: fresh.expiresAt, refreshed: true } };
      } catch (err) {
        if (!(err instanceof RefreshTokenDeadError)) throw err;
        // Committed with the lock still held, so no other run tries the dead token again.
        await markExpired(tx, key, err.message, now());
        log.warn({ event: "crm.connection_expired", connection_id: connectionId, provider, reason: err.reason.slice(0, 200) }, "crm.connection_expired");
        return { dead: err };
      }
    },
    { maxWait: 30_000, timeout: 60_000 },
  );
  if ("dead" in outcome) throw outcome.dead;
  return outcome.token;
}

/** ACTIVE -> EXPIRED once (compare-and-set: a second caller changes nothing and keeps the first expiry's time). */
async function markExpired(db: Prisma.TransactionClient, { connectionId, ownerId }: ConnectionKey, message: string, at: number): Promise<void> {
  await db.crmConnection.updateMany({
    where: { id: connectionId, ownerId, status: { not: "EXPIRED" } },
    data: { status: "EXPIRED", expiredAt: new Date(at), lastTestMessage: message.slice(0, 500) },
  });
}

/**
 * The provider refused the token again right after ensureFreshToken handed it over (`first`: that answer;
 * its token may be one another run stored, not one this call refreshed). Two 401s do not prove the grant
 * dead: a forced refresh decides. Refused -> the connection is expired (ensureFreshToken's invalid_grant
 * path throws crm_auth_expired). Accepted -> the connection stays ACTIVE and the call fails retryable.
 */
export async function refusedTwice(key: ConnectionKey, label: string, first: FreshToken): Promise<CrmError> {
  await ensureFreshToken(key, { force: true });
  log.warn({ event: "crm.token_refused_twice", connection_id: key.connectionId, refreshed_first: first.refreshed }, "crm.token_refused_twice");
  return new CrmError("crm_unavailable", `${label} refused a fresh token twice though the authorization still refreshes; the run is retried`);
}

export type ExpiredConnection = { id: string; data: { ownerId: string; connectionId: string; provider: string; reason: string } };

/**
 * The crm/connection.expired announcement of a run's connection, if it is expired now, else null. The
 * id is the expiry's own (connection + when it expired), so every sender of one expiry announces it once.
 */
export async function expiredConnectionOfRun(runId: string): Promise<ExpiredConnection | null> {
  const run = await systemDb().reviewRun.findUnique({ where: { id: runId }, select: { scheduledReview: { select: { crmConnectionId: true } } } });
  return run ? expiredConnection(run.scheduledReview.crmConnectionId) : null;
}

export async function expiredConnection(connectionId: string): Promise<ExpiredConnection | null> {
  const row = await systemDb().crmConnection.findUnique({
    where: { id: connectionId },
    select: { ownerId: true, provider: true, status: true, expiredAt: true, lastTestMessage: true },
  });
  if (!row || row.status !== "EXPIRED" || !row.expiredAt) return null;
  return {
    id: `crm-connection-expired:${connectionId}:${row.expiredAt.getTime()}`,
    data: { ownerId: row.ownerId, connectionId, provider: row.provider.toLowerCase(), reason: row.lastTestMessage ?? "The CRM no longer accepts the connection's authorization" },
  };
}

/** Best effort, outside a job (a connection test found the token dead): the event, if Inngest takes it. */
export async function announceExpiry(connectionId: string): Promise<void> {
  const expired = await expiredConnection(connectionId);
  if (!expired) return;
  await sendEvents(crmConnectionExpired.create(expired.data, { id: expired.id })).catch((err: unknown) =>
    log.warn({ event: "crm.expired_event_not_sent", connection_id: connectionId, err: err instanceof Error ? err.message : String(err) }, "crm.expired_event_not_sent"),
  );
}
