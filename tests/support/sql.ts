import { randomUUID } from "node:crypto";
import pg from "pg";

// Direct SQL for Playwright specs, which run outside the app: DATABASE_URL is the stack's database
// (`npm test` passes it down). Used to create rows the UI cannot, such as a faulty or slow CRM connection.

function connect(): pg.Client {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: run this spec through `node scripts/test.mjs e2e ...`");
  return new pg.Client({ connectionString: url });
}

export async function sql<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  const client = connect();
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** A Demo CRM connection with a chosen instance URL (e.g. "demo://?fail=auth_expired"); returns its id. */
export async function insertDemoConnection(ownerId: string, instanceUrl: string, name = "Demo CRM (faulty)"): Promise<string> {
  const id = `conn_${randomUUID().replaceAll("-", "")}`;
  await sql(
    `INSERT INTO "CrmConnection" (id, "ownerId", provider, name, "instanceUrl", status, "updatedAt")
     VALUES ($1, $2, 'DEMO', $3, $4, 'ACTIVE', now())`,
    [id, ownerId, name, instanceUrl],
  );
  return id;
}
