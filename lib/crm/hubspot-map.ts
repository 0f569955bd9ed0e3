import type { Deal } from "@/lib/reviews/types";

// HubSpot's answers -> Revwatch's normalised Deal. Pure, so each field has its own unit test.
// Every HubSpot property value is a string or null.

export type HubspotStage = { id: string; label: string; pipelineId: string; displayOrder: number; probability: number | null; isClosed: boolean };
export type HubspotPipeline = { id: string; label: string; stages: HubspotStage[] };
export type HubspotDealRecord = { id: string; properties: Record<string, string | null | undefined>; createdAt?: string };

export const DEAL_PROPERTIES = [
  "dealname", "amount", "closedate", "dealstage", "pipeline", "hubspot_owner_id", "createdate", "hs_lastmodifieddate",
  "notes_last_contacted", "notes_next_activity_date", "num_associated_contacts", "hs_next_step", "deal_currency_code", "hs_object_id",
] as const;

const text = (v: string | null | undefined): string | null => (typeof v === "string" && v.trim() !== "" ? v.trim() : null);

/** "1000", "1000.50", " 2e3 " -> number; "", null, "abc" -> null (HubSpot sends amounts as strings). */
export function parseAmount(v: string | null | undefined): number | null {
  const s = text(v);
  if (s === null) return null;
  const n = Number(s.replaceAll(",", ""));
  return Number.isFinite(n) ? n : null;
}

/** An ISO instant or epoch-ms string as ISO-8601 UTC; null when absent or unreadable. */
export function parseInstant(v: string | null | undefined): string | null {
  const s = text(v);
  if (s === null) return null;
  const ms = /^\d{10,}$/.test(s) ? Number(s) : Date.parse(s);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

/**
 * HubSpot stores a close date as midnight UTC of the chosen day; its UTC calendar date is the date the
 * user picked, whatever time zone the portal or this server is in.
 */
export function parseCloseDate(v: string | null | undefined): string | null {
  return parseInstant(v)?.slice(0, 10) ?? null;
}

/** Stage probability "0.2" (0-1) -> 20; absent -> null. */
export function parseProbability(v: unknown): number | null {
  if (v === null || v === undefined || v === "") return null;
  const n = Number(v);
  if (!Number.isFinite(n)) return null;
  return Math.round((n <= 1 ? n * 100 : n) * 100) / 100;
}

/** Pipelines with their stages; a stage is closed when HubSpot says so, or (older portals) its probability is 0 or 1. */
export function mapPipelines(body: unknown): HubspotPipeline[] {
  const results = (body as { results?: unknown[] } | null)?.results ?? [];
  return results.flatMap((p) => {
    const pipe = p as { id?: unknown; label?: unknown; archived?: unknown; stages?: unknown[] };
    if (typeof pipe.id !== "string" || pipe.archived === true) return [];
    const stages = (pipe.stages ?? []).flatMap((st): HubspotStage[] => {
      const s = st as { id?: unknown; label?: unknown; displayOrder?: unknown; archived?: unknown; metadata?: Record<string, unknown> };
      if (typeof s.id !== "string" || s.archived === true) return [];
      const probability = parseProbability(s.metadata?.probability);
      const closedFlag = s.metadata?.isClosed;
      const isClosed = closedFlag === undefined ? probability === 0 || probability === 100 : String(closedFlag) === "true";
      return [{ id: s.id, label: typeof s.label === "string" ? s.label : s.id, pipelineId: pipe.id as string, displayOrder: Number(s.displayOrder) || 0, probability, isClosed }];
    });
    return [{ id: pipe.id as string, label: typeof pipe.label === "string" ? pipe.label : pipe.id as string, stages }];
  });
}

export function ownerName(o: { firstName?: unknown; lastName?: unknown; email?: unknown }): string | null {
  const name = [o.firstName, o.lastName].filter((x) => typeof x === "string" && x.trim()).join(" ").trim();
  return name || (typeof o.email === "string" && o.email ? o.email : null);
}

export function mapHubspotDeal(r: HubspotDealRecord, stages: ReadonlyMap<string, HubspotStage>, owners: ReadonlyMap<string, string>): Deal {
  const p = r.properties ?? {};
  const stageId = text(p.dealstage);
  const stage = stageId === null ? undefined : stages.get(stageId);
  const ownerId = text(p.hubspot_owner_id);
  const contacts = text(p.num_associated_contacts);
  return {
    id: r.id,
    name: text(p.dealname) ?? `Deal ${r.id}`,
    amount: parseAmount(p.amount),
    currency: text(p.deal_currency_code) ?? "USD",
    stage: stage?.label ?? stageId ?? "(no stage)",
    probability: stage?.probability ?? null,
    closeDate: parseCloseDate(p.closedate),
    createdAt: parseInstant(p.createdate) ?? parseInstant(r.createdAt) ?? new Date(0).toISOString(),
    lastActivityAt: parseInstant(p.notes_last_contacted),
    nextStep: text(p.hs_next_step),
    owner: ownerId === null ? null : (owners.get(ownerId) ?? `Owner ${ownerId}`),
    stageEnteredAt: stageId === null ? null : parseInstant(p[`hs_date_entered_${stageId}`]),
    // Search results carry no property history; close-date pushes come from Salesforce history only.
    closeDatePushes: 0,
    nextActivityScheduled: parseInstant(p.notes_next_activity_date) !== null,
    contactCount: contacts === null || !Number.isFinite(Number(contacts)) ? null : Number(contacts),
  };
}
