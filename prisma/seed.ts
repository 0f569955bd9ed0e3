// Demo data for the local default (idempotent: safe on every start). The default local user
// gets its Demo CRM connection; schedules are left for the user to create.
import { ensureDemoConnection } from "../lib/crm/connections";
import { disconnectDb } from "../lib/db";

const owner = process.env.SEED_OWNER_ID ?? "user_demo";
const conn = await ensureDemoConnection(owner);
console.log(`[seed] ${owner}: ${conn.name} (${conn.id})`);
await disconnectDb();
