// A fresh, migrated database for one test run: a new database on TEST_DATABASE_URL's server
// (dropped afterwards), or an embedded PGlite in a temporary folder when none is given.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres } from "./embedded-postgres.mjs";
import { bin, run } from "./run.mjs";

export async function provisionTestDatabase({ embeddedPort = Number(process.env.TEST_DB_PORT ?? 54339) } = {}) {
  let url, shadowUrl, cleanup;
  if (process.env.TEST_DATABASE_URL) {
    const admin = new URL(process.env.TEST_DATABASE_URL);
    const name = `revwatch_test_${Date.now()}_${process.pid}`;
    const client = new pg.Client({ connectionString: admin.toString() });
    await client.connect();
    await client.query(`CREATE DATABASE "${name}"`);
    await client.end();
    const u = new URL(admin);
    u.pathname = `/${name}`;
    url = u.toString();
    cleanup = async () => {
      const c = new pg.Client({ connectionString: admin.toString() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    };
  } else {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "revwatch-test-db-"));
    const db = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), port: embeddedPort, shadowPort: embeddedPort + 1 });
    url = db.url;
    shadowUrl = db.shadowUrl;
    cleanup = async () => {
      await db.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    };
  }
  const env = { ...process.env, DATABASE_URL: url, ...(shadowUrl ? { SHADOW_DATABASE_URL: shadowUrl } : {}) };
  await run(bin("prisma"), ["migrate", "deploy"], { env, quiet: true });
  return { url, shadowUrl, embedded: !process.env.TEST_DATABASE_URL, cleanup };
}
