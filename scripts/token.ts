// npm run token -- <userId> [--org <orgId>] [--role admin|member] [--plan free|team|business] [--ttl <seconds>]
// Prints a long-lived Bearer token signed by the development key (refused in production).
import { parseArgs } from "node:util";
import { mintSessionToken } from "../lib/dev-auth";
import { PLANS, type Plan } from "../lib/plans";
import { ROLES, type Role } from "../lib/roles";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { org: { type: "string" }, role: { type: "string", default: "admin" }, plan: { type: "string", default: "team" }, ttl: { type: "string" } },
});
const userId = positionals[0];
if (!userId || !(PLANS as readonly string[]).includes(values.plan ?? "") || !(ROLES as readonly string[]).includes(values.role ?? "")) {
  console.error("usage: npm run token -- <userId> [--org <orgId>] [--role admin|member] [--plan free|team|business] [--ttl seconds]");
  process.exit(2);
}
try {
  console.log(mintSessionToken({ userId, orgId: values.org, orgRole: values.role as Role, plan: values.plan as Plan, ttlSeconds: values.ttl ? Number(values.ttl) : undefined }));
} catch (e) {
  console.error((e as Error).message);
  process.exit(1);
}
