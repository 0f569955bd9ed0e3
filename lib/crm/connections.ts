import { forTenant } from "@/lib/db";
import { lower } from "@/lib/format";
import type { CrmConnectionDto } from "@/lib/schedules/schemas";

export const DEMO_CONNECTION_NAME = "Demo CRM";

/** Every tenant gets a Demo CRM connection on first use, so a schedule can be created at once. */
export async function ensureDemoConnection(ownerId: string) {
  const where = { provider: "DEMO" } as const;
  const tenantDb = forTenant(ownerId);
  const existing = await tenantDb.crmConnection.findFirst({ where, orderBy: { createdAt: "asc" } });
  if (existing) return existing;
  // First use often comes as parallel requests (page + API); a per-owner lock keeps it to one row.
  return tenantDb.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`demo-connection:${ownerId}`}))`;
    const raced = await tx.crmConnection.findFirst({ where, orderBy: { createdAt: "asc" } });
    return (
      raced ??
      tx.crmConnection.create({
        data: { ownerId, provider: "DEMO", name: DEMO_CONNECTION_NAME, instanceUrl: "demo://?seed=42&size=120", status: "ACTIVE" },
      })
    );
  });
}

/** A connection of this tenant, or null (another tenant's id looks exactly like a missing one). */
export function findConnection(ownerId: string, id: string) {
  return forTenant(ownerId).crmConnection.findFirst({ where: { id } });
}

/** The tenant's connections for pickers and the API; creates the Demo CRM one on first use. */
export async function listConnections(ownerId: string): Promise<CrmConnectionDto[]> {
  await ensureDemoConnection(ownerId);
  const rows = await forTenant(ownerId).crmConnection.findMany({ orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  return rows.map((c) => ({
    id: c.id,
    name: c.name,
    provider: lower(c.provider),
    status: lower(c.status),
  }));
}
