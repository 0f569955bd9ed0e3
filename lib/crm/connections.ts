import { crmConnectionAudit } from "@/lib/audit/entries";
import { recordAudit } from "@/lib/audit/record";
import { forTenant, SHORT_TX } from "@/lib/db";
import type { CrmConnection } from "@/lib/generated/prisma/client";
import { lower } from "@/lib/format";
import type { CrmConnectionDto } from "@/lib/schedules/schemas";

export const DEMO_CONNECTION_NAME = "Demo CRM";

/**
 * The tenant's Demo CRM connection, created if it has none: at sign-up (local sign-in) and on the
 * explicit "Use the Demo CRM" action, never as a side effect of a read. `created` says which.
 */
export async function ensureDemoConnection(ownerId: string) {
  return (await demoConnection(ownerId)).connection;
}

/** `actorId`: who asked (the explicit action records a crm.connected audit row when it creates one). */
async function demoConnection(ownerId: string, actorId?: string) {
  const where = { provider: "DEMO" } as const;
  const tenantDb = forTenant(ownerId);
  const existing = await tenantDb.crmConnection.findFirst({ where, orderBy: { createdAt: "asc" } });
  if (existing) return { connection: existing, created: false };
  // First use often comes as parallel requests (page + API); a per-owner lock keeps it to one row.
  return tenantDb.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`demo-connection:${ownerId}`}))`;
    const raced = await tx.crmConnection.findFirst({ where, orderBy: { createdAt: "asc" } });
    if (raced) return { connection: raced, created: false };
    const connection = await tx.crmConnection.create({
      data: { ownerId, provider: "DEMO", name: DEMO_CONNECTION_NAME, instanceUrl: "demo://?seed=42&size=120", status: "ACTIVE" },
    });
    if (actorId) await recordAudit(tx, crmConnectionAudit(ownerId, actorId, "crm.connected", "demo", connection));
    return { connection, created: true };
  }, SHORT_TX);
}

/** A connection as the API shows it: never a token. */
export const toDto = (c: CrmConnection): CrmConnectionDto => ({
  id: c.id,
  name: c.name,
  provider: lower(c.provider),
  status: lower(c.status),
  instance_url: c.provider === "SALESFORCE" ? c.instanceUrl : null,
  account_id: c.externalAccountId,
  last_tested_at: c.lastTestedAt?.toISOString() ?? null,
  last_test_ok: c.lastTestOk,
  last_test_message: c.lastTestMessage,
});

/** POST /api/crm-connections/demo: the Demo CRM connection, and whether this call created it. */
export async function connectDemoCrm(ownerId: string, actorId: string): Promise<{ connection: CrmConnectionDto; created: boolean }> {
  const { connection, created } = await demoConnection(ownerId, actorId);
  return { connection: toDto(connection), created };
}

/** A connection of this tenant, or null (another tenant's id looks exactly like a missing one). */
export function findConnection(ownerId: string, id: string) {
  return forTenant(ownerId).crmConnection.findFirst({ where: { id } });
}

/** The tenant's connections for pickers and the API (a read: it creates nothing). */
export async function listConnections(ownerId: string): Promise<CrmConnectionDto[]> {
  const rows = await forTenant(ownerId).crmConnection.findMany({ orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  return rows.map(toDto);
}
