// The HTTP half every loopback test double shares: a server on 127.0.0.1 (port 0 = any free port),
// its origin in `url` once listening, a close that does not wait for keep-alive clients, and the
// body / JSON helpers the handlers use.
import http from "node:http";
import type { AddressInfo } from "node:net";

export abstract class LoopbackServer {
  /** Origin, e.g. http://127.0.0.1:54321 (what a client takes as its base URL); set by listen(). */
  url = "";
  // A client that hangs up mid-request must not surface as an unhandled rejection.
  private readonly server = http.createServer((req, res) => void this.handle(req, res).catch(() => res.destroy()));

  async listen(port = 0): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, "127.0.0.1", () => resolve());
    });
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  protected abstract handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void>;
}

/** Reads a request body as text (the fakes' bodies are small). */
export async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
}
