// Fake Resend (8301), Slack webhook (8302) and alert webhook receiver (8306) on loopback for e2e, plus
// a JSON admin view on 8303:
//   GET /emails, GET /slack, GET /webhooks, POST /reset, POST /resend/fail?n=1&status=500, POST /resend/down?on=1,
//   POST /webhooks/secret?path=/hooks/x&secret=whsec_... (the receiver at that path then checks signatures)
import http from "node:http";
import { startFakeResend } from "./fake-resend";
import { startFakeSlack } from "./fake-slack";
import { startFakeWebhook } from "./fake-webhook";

const port = (name: string, def: number) => Number(process.env[name] ?? def);
const resend = await startFakeResend({ port: port("FAKE_RESEND_PORT", 8301), apiKey: process.env.RESEND_API_KEY });
const slack = await startFakeSlack({ port: port("FAKE_SLACK_PORT", 8302) });
const webhook = await startFakeWebhook({ port: port("FAKE_WEBHOOK_PORT", 8306) });

const admin = http.createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://x");
  const send = (body: unknown) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
  if (req.method === "GET" && url.pathname === "/emails") return send(resend.emails);
  if (req.method === "GET" && url.pathname === "/slack") return send(slack.messages);
  if (req.method === "GET" && url.pathname === "/webhooks") return send(webhook.requests);
  if (req.method === "POST" && url.pathname === "/webhooks/secret") {
    webhook.setSecret(url.searchParams.get("path") ?? "/", url.searchParams.get("secret") ?? "");
    return send({ ok: true });
  }
  if (req.method === "POST" && url.pathname === "/reset") {
    resend.reset();
    slack.reset();
    webhook.reset();
    return send({ ok: true });
  }
  if (req.method === "POST" && url.pathname === "/resend/fail") {
    resend.failNext(Number(url.searchParams.get("n") ?? 1), Number(url.searchParams.get("status") ?? 500));
    return send({ ok: true });
  }
  if (req.method === "POST" && url.pathname === "/resend/down") {
    resend.down = url.searchParams.get("on") === "1";
    return send({ ok: true });
  }
  res.writeHead(404).end();
});
admin.listen(port("FAKE_DELIVERY_ADMIN_PORT", 8303), "127.0.0.1", () =>
  console.log(JSON.stringify({ ready: true, resend: resend.url, slack: slack.url, webhook: webhook.url })),
);

const stop = async () => {
  admin.close();
  await Promise.all([resend.close(), slack.close(), webhook.close()]);
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
