import "server-only";
import { forTenant } from "@/lib/db";
import { AppError, notFound } from "@/lib/errors";
import type { CrmConnection } from "@/lib/generated/prisma/client";
import { crmClientFor } from "./client";
import type { ConnectionOptionsDto, TestResultDto } from "./connect-schemas";
import { toDto } from "./connections";
import { createHubspotClient } from "./hubspot";
import { createSalesforceClient } from "./salesforce";
import { isAllOpenDeals, type ScanScope } from "./scope";
import { announceExpiry } from "./tokens";
import { isCrmError } from "./types";

// Reads a connection makes on the user's behalf: "Test connection", and the live lists (pipelines,
// stages, owners) a schedule's scan scope is chosen from and checked against.

const CHECK_TIMEOUT_MS = 30_000;

async function connectionOf(ownerId: string, id: string): Promise<CrmConnection> {
  const conn = await forTenant(ownerId).crmConnection.findFirst({ where: { id } });
  if (!conn) throw notFound("CRM connection");
  return conn;
}

/** One authenticated read; the outcome is stored on the connection and shown on the CRM page. */
export async function testConnection(ownerId: string, id: string): Promise<TestResultDto> {
  const conn = await connectionOf(ownerId, id);
  const signal = AbortSignal.timeout(CHECK_TIMEOUT_MS);
  let ok = false;
  let message: string;
  let openDeals: number | null = null;
  try {
    if (conn.provider === "HUBSPOT") openDeals = await createHubspotClient({ connectionId: id, ownerId }).countOpenDeals({ signal });
    else if (conn.provider === "SALESFORCE") openDeals = await createSalesforceClient({ connectionId: id, ownerId }).countOpenDeals({ signal });
    else openDeals = (await crmClientFor(conn).fetchOpenDeals({ signal })).length;
    ok = true;
    message = `Connected: ${openDeals} open deal${openDeals === 1 ? "" : "s"}`;
  } catch (err) {
    if (!isCrmError(err)) throw err;
    message = err.message;
    if (err.code === "crm_auth_expired") await announceExpiry(id);
  }
  const db = forTenant(ownerId);
  await db.crmConnection.updateMany({ where: { id }, data: { lastTestedAt: new Date(), lastTestOk: ok, lastTestMessage: message.slice(0, 500) } });
  const fresh = await db.crmConnection.findFirst({ where: { id } });
  if (!fresh) throw notFound("CRM connection");
  return { ok, message, open_deals: openDeals, connection: toDto(fresh) };
}

/** The connection's live pipelines, stages and owners (the Demo CRM has none: it is not scopable). */
export async function connectionOptions(ownerId: string, id: string): Promise<ConnectionOptionsDto> {
  const conn = await connectionOf(ownerId, id);
  const signal = AbortSignal.timeout(CHECK_TIMEOUT_MS);
  try {
    if (conn.provider === "HUBSPOT") {
      const l = await createHubspotClient({ connectionId: id, ownerId }).lists({ signal });
      const open = (p: (typeof l.pipelines)[number]) => p.stages.filter((s) => !s.isClosed);
      return {
        scopable: true,
        pipelines: l.pipelines.map((p) => ({ id: p.id, label: p.label, stages: open(p).map((s) => ({ id: s.id, label: s.label })) })),
        stages: l.pipelines.flatMap((p) => open(p).map((s) => ({ id: s.id, label: `${p.label}: ${s.label}`, pipeline_id: p.id }))),
        owners: l.owners.map((o) => ({ id: o.id, label: o.name })),
      };
    }
    if (conn.provider === "SALESFORCE") {
      const l = await createSalesforceClient({ connectionId: id, ownerId }).lists({ signal });
      const stages = l.stages.filter((s) => !s.isClosed).map((s) => ({ id: s.id, label: s.label }));
      return {
        scopable: true,
        pipelines: l.pipelines.map((p) => ({ id: p.id, label: p.label, stages })),
        stages: stages.map((s) => ({ ...s, pipeline_id: null })),
        owners: l.owners.map((o) => ({ id: o.id, label: o.name })),
      };
    }
  } catch (err) {
    if (!isCrmError(err)) throw err;
    throw new AppError("crm_unreachable", `The CRM's lists could not be read: ${err.message}`);
  }
  return { scopable: false, pipelines: [], stages: [], owners: [] };
}

/** Every id in the scope must be one of the connection's own (read live); problems as validation details. */
export async function checkScanScope(ownerId: string, connectionId: string, scope: ScanScope): Promise<void> {
  if (isAllOpenDeals(scope)) return;
  const options = await connectionOptions(ownerId, connectionId);
  const problems: { path: string; message: string; code: string }[] = [];
  if (!options.scopable) problems.push({ path: "scan_scope", message: "The Demo CRM reads every open deal: leave the scan scope empty", code: "custom" });
  const check = (field: string, ids: string[], known: { id: string }[]) => {
    const valid = new Set(known.map((k) => k.id));
    ids.forEach((id, i) => {
      if (!valid.has(id)) problems.push({ path: `scan_scope.${field}.${i}`, message: `"${id}" is not one of this connection's ${field.replace("_ids", "s")}`, code: "custom" });
    });
  };
  if (options.scopable) {
    check("pipeline_ids", scope.pipelineIds, options.pipelines);
    check("stage_ids", scope.stageIds, options.stages);
    check("owner_ids", scope.ownerIds, options.owners);
  }
  if (problems.length) throw new AppError("validation_error", "The request is invalid", problems);
}
