// Serves one PGlite instance to many Postgres clients over TCP. PGlite is a single session, so
// clients must not interleave: pglite-socket schedules message by message, and two clients' extended-
// protocol sequences (Parse/Bind/Execute/Sync) or transactions mixing corrupt each other ("portal does
// not exist", "unnamed prepared statement does not exist"). Here a client owns the session from its
// first message until PGlite answers ReadyForQuery with status Idle: whole transactions run alone.
import net from "node:net";

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;

class SessionLock {
  owner = null;
  waiters = [];
  async acquire(conn) {
    while (this.owner !== null && this.owner !== conn) await new Promise((r) => this.waiters.push(r));
    this.owner = conn;
  }
  release(conn) {
    if (this.owner !== conn) return;
    this.owner = null;
    for (const wake of this.waiters.splice(0)) wake();
  }
}

/** Status of the last ReadyForQuery in a backend answer: "I", "T", "E", or null if none. */
function lastReadyStatus(out) {
  let status = null;
  for (let i = 0; i + 5 <= out.length; ) {
    const len = out.readInt32BE(i + 1);
    if (out[i] === 0x5a /* Z */ && i + 5 < out.length) status = String.fromCharCode(out[i + 5]);
    i += 1 + len;
  }
  return status;
}

export function servePglite(db, { host = "127.0.0.1", port }) {
  const lock = new SessionLock();
  const sockets = new Set();

  async function exec(conn, bytes) {
    await lock.acquire(conn);
    const chunks = [];
    await db.runExclusive(() => db.execProtocolRawStream(bytes, { onRawData: (d) => chunks.push(Buffer.from(d)) }));
    const out = Buffer.concat(chunks);
    if (!conn.socket.destroyed) conn.socket.write(out);
    // Mid-pipeline (no ReadyForQuery yet) or inside a transaction: keep the session.
    if (lastReadyStatus(out) === "I") lock.release(conn);
  }

  async function drop(conn) {
    if (conn.closed) return;
    conn.closed = true;
    sockets.delete(conn.socket);
    if (lock.owner === conn) {
      if (db.isInTransaction()) await db.exec("ROLLBACK").catch(() => {});
      lock.release(conn);
    }
  }

  /** Takes every complete message off the buffer; the first one is the untyped startup packet. */
  async function pump(conn) {
    for (;;) {
      const buf = conn.buffer;
      if (!conn.started) {
        if (buf.length < 8) return;
        const len = buf.readInt32BE(0);
        if (buf.length < len) return;
        const code = buf.readInt32BE(4);
        conn.buffer = buf.subarray(len);
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
          conn.socket.write("N");
          continue;
        }
        if (code === CANCEL_REQUEST) return conn.socket.end();
        conn.started = true;
        await exec(conn, buf.subarray(0, len));
        continue;
      }
      let end = 0;
      let terminate = false;
      while (end + 5 <= buf.length) {
        const total = 1 + buf.readInt32BE(end + 1);
        if (end + total > buf.length) break;
        if (buf[end] === 0x58 /* X: Terminate */) {
          terminate = true;
          break;
        }
        end += total;
      }
      if (end === 0 && !terminate) return;
      conn.buffer = buf.subarray(end);
      if (end > 0) await exec(conn, buf.subarray(0, end));
      if (terminate) {
        conn.socket.end();
        return drop(conn);
      }
    }
  }

  const server = net.createServer((socket) => {
    socket.setNoDelay(true);
    sockets.add(socket);
    const conn = { socket, buffer: Buffer.alloc(0), started: false, closed: false, chain: Promise.resolve() };
    socket.on("data", (d) => {
      conn.buffer = Buffer.concat([conn.buffer, d]);
      conn.chain = conn.chain.then(() => pump(conn)).catch((err) => {
        console.error(`[embedded-postgres] ${err.message}`);
        socket.destroy();
      });
    });
    socket.on("close", () => void conn.chain.then(() => drop(conn)));
    socket.on("error", () => socket.destroy());
  });

  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () =>
      resolve({
        port: server.address().port,
        async stop() {
          for (const s of sockets) s.destroy();
          await new Promise((r) => server.close(() => r()));
        },
      }),
    );
  });
}
