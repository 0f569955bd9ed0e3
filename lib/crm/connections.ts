import { db } from "@/lib/db";

export const DEMO_CONNECTION_NAME = "Demo CRM";

/** Every tenant gets a Demo CRM connection on first use, so a schedule can be created at once. */
export async function ensureDemoConnection(ownerId: string) {
  const existing = await db().crmConnection.findFirst({ where: { ownerId, provider: "DEMO" }, orderBy: { createdAt: "asc" } });
  if (existing) return existing;
  return db().crmConnection.create({
    data: { ownerId, provider: "DEMO", name: DEMO_CONNECTION_NAME, instanceUrl: "demo://?seed=42&size=120", status: "ACTIVE" },
  });
}

/** A connection of this tenant, or null (another tenant's id looks exactly like a missing one). */
export function findConnection(ownerId: string, id: string) {
  return db().crmConnection.findFirst({ where: { id, ownerId } });
}
