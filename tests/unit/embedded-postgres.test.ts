import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { servePglite } from "../../scripts/pglite-session-server.mjs";

// The embedded database behind `npm run dev` and `npm test` without TEST_DATABASE_URL: many pooled
// clients share one PGlite session, and must never see each other's half-finished protocol exchanges.
let db: PGlite;
let server: { port: number; stop(): Promise<void> };
let pool: pg.Pool;

beforeAll(async () => {
  db = await PGlite.create();
  server = await servePglite(db, { port: 0 });
  pool = new pg.Pool({ connectionString: `postgresql://postgres@127.0.0.1:${server.port}/postgres?sslmode=disable`, max: 10 });
  await pool.query("CREATE TABLE t (id serial PRIMARY KEY, v int NOT NULL)");
}, 60_000);

afterAll(async () => {
  await pool?.end();
  await server?.stop();
  await db?.close();
});

async function transfer(i: number) {
  const c = await pool.connect();
  try {
    await c.query("BEGIN");
    await c.query("INSERT INTO t (v) VALUES ($1)", [-i]);
    const { rows } = await c.query<{ n: number }>("SELECT count(*)::int AS n FROM t WHERE v = $1", [-i]);
    await c.query("COMMIT");
    return rows[0]!.n;
  } finally {
    c.release();
  }
}

describe("embedded PostgreSQL session server", () => {
  it("serves 200 concurrent parameterised queries and 20 transactions from a pool without mixing them", async () => {
    const inserts = Array.from({ length: 200 }, (_, i) => pool.query<{ v: number }>("INSERT INTO t (v) VALUES ($1) RETURNING v", [i]));
    const txs = Array.from({ length: 20 }, (_, i) => transfer(i + 1));
    const [ins, seen] = await Promise.all([Promise.all(inserts), Promise.all(txs)]);
    expect(ins.map((r) => r.rows[0]!.v)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    expect(seen).toEqual(Array(20).fill(1)); // each transaction sees exactly its own row
    expect((await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM t")).rows[0]!.n).toBe(220);
  });

  it("keeps large messages (split across TCP packets) from different clients apart", async () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => i + 1);
    const padding = "x".repeat(100_000);
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        pool.query<{ n: number; k: number }>("SELECT count(*)::int AS n, $2::int AS k FROM t WHERE id = ANY($1) AND $3::text <> ''", [ids, i, padding]),
      ),
    );
    expect(results.map((r) => r.rows[0]!.k)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    for (const r of results) expect(r.rows[0]!.n).toBe(220);
  });

  it("rolls back a transaction whose client disconnects, and frees the session for others", async () => {
    const c = new pg.Client({ connectionString: `postgresql://postgres@127.0.0.1:${server.port}/postgres?sslmode=disable` });
    await c.connect();
    await c.query("BEGIN");
    await c.query("INSERT INTO t (v) VALUES (999999)");
    await c.end(); // no COMMIT
    const { rows } = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM t WHERE v = 999999");
    expect(rows[0]!.n).toBe(0);
  });
});
