import "server-only";
import { forTenant, Prisma } from "@/lib/db";
import { AppError, notFound } from "@/lib/errors";
import type { Severity } from "@/lib/generated/prisma/client";
import { dealRisk, isHighRisk } from "@/lib/reviews/score";
import { findingDto } from "@/lib/runs/queries";

// Every finding of an analysis, page by page (the analysis itself carries the first FINDINGS_LIMIT,
// most severe first). Keyset on ("dealId", rule, id) on the matching index: a deal's findings stay together.

type Key = { dealId: string; rule: string; id: string };
const encode = (k: Key) => Buffer.from(JSON.stringify([k.dealId, k.rule, k.id])).toString("base64url");

// NUL and other control characters never occur in keys we issue, and Postgres refuses NUL in text (a 500).
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

/** A cursor from encode(), else invalid_cursor (400): never a value the database would refuse. */
export function decodeFindingsCursor(cursor: string): Key {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(v) && v.length === 3 && v.every((x) => typeof x === "string" && x.length <= 200 && !CONTROL_CHARS.test(x))) return { dealId: v[0], rule: v[1], id: v[2] };
  } catch {
    // falls through to the error below
  }
  throw new AppError("invalid_cursor", "The cursor is not one this API returned");
}

/** One page of an analysis's findings; the row-value cursor is an index condition (tests/integration/list-plans.test.ts). */
export function findingsPageSql(analysisId: string, after: Key | null, take: number) {
  return Prisma.sql`
    SELECT id, "dealId", "dealName", amount, stage, rule, severity::text AS severity, message FROM "Finding"
    WHERE "analysisId" = ${analysisId} ${after ? Prisma.sql`AND ("dealId", rule, id) > (${after.dealId}, ${after.rule}, ${after.id})` : Prisma.empty}
    ORDER BY "dealId", rule, id
    LIMIT ${take}`;
}

type Row = { id: string; dealId: string; dealName: string; amount: number | null; stage: string | null; rule: string; severity: Severity; message: string };

export async function listFindings(ownerId: string, analysisId: string, opts: { cursor?: string; limit?: number } = {}) {
  const tenantDb = forTenant(ownerId);
  const analysis = await tenantDb.analysis.findFirst({ where: { id: analysisId }, select: { id: true } });
  if (!analysis) throw notFound("Analysis");
  const limit = opts.limit ?? 200;
  const after = opts.cursor ? decodeFindingsCursor(opts.cursor) : null;
  // Raw SQL is not scoped: the analysis id comes from the scoped read above.
  const rows = await tenantDb.$queryRaw<Row[]>(findingsPageSql(analysis.id, after, limit + 1));
  const page = rows.slice(0, limit);
  // A deal's findings may straddle pages: its risk comes from all of them.
  const deals = [...new Set(page.map((f) => f.dealId))];
  const severities = deals.length
    ? await tenantDb.$queryRaw<{ dealId: string; severities: Severity[] }[]>`
        SELECT "dealId", array_agg(severity::text) AS severities FROM "Finding"
        WHERE "analysisId" = ${analysis.id} AND "dealId" = ANY(${deals}::text[]) GROUP BY "dealId"`
    : [];
  const risk = new Map(severities.map((d) => [d.dealId, dealRisk(d.severities)]));
  const last = page.at(-1);
  const data = page.map((f) => findingDto(f, isHighRisk(risk.get(f.dealId) ?? 0)));
  return { data, next_cursor: rows.length > limit && last ? encode(last) : null };
}
