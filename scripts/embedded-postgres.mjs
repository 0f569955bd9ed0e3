// Embedded PostgreSQL for machines with no server: PGlite (PostgreSQL 18 in WASM) served on the
// Postgres wire protocol. One PGlite instance is one database, so `prisma migrate dev` gets a
// second instance as its shadow database. PGlite does not lock its data directory: we do.
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { servePglite } from "./pglite-session-server.mjs";

const portFree = (port) =>
  new Promise((res) => {
    const s = net.createServer().once("error", () => res(false)).listen(port, "127.0.0.1", () => s.close(() => res(true)));
  });

function lock(dataDir) {
  fs.mkdirSync(path.dirname(path.resolve(dataDir)), { recursive: true });
  const file = path.resolve(dataDir) + ".lock";
  try {
    fs.writeFileSync(file, String(process.pid), { flag: "wx" });
  } catch {
    const pid = Number(fs.readFileSync(file, "utf8"));
    let alive = pid !== process.pid;
    if (alive) try { process.kill(pid, 0); } catch { alive = false; }
    if (alive) throw new Error(`${dataDir} is in use by pid ${pid} (another app or test run)`);
    fs.writeFileSync(file, String(process.pid));
  }
  return file;
}

async function serveOne(dataDir, port) {
  if (!(await portFree(port))) throw new Error(`port ${port} is in use: stop what holds it or set DATABASE_URL`);
  const lockFile = lock(dataDir);
  const { PGlite } = await import("@electric-sql/pglite");
  const db = await PGlite.create(dataDir);
  const server = await servePglite(db, { port });
  return {
    url: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
    async stop() {
      await server.stop();
      await db.close(); // checkpoints
      fs.rmSync(lockFile, { force: true });
    },
  };
}

/** Starts the main and shadow databases; returns their URLs and a stop(). */
export async function startEmbeddedPostgres({ dataDir, port, shadowPort }) {
  const main = await serveOne(dataDir, port);
  const shadow = shadowPort ? await serveOne(dataDir + "-shadow", shadowPort).catch(async (e) => { await main.stop(); throw e; }) : null;
  return {
    url: main.url,
    shadowUrl: shadow?.url,
    async stop() {
      await Promise.all([main.stop(), shadow?.stop()]);
    },
  };
}
