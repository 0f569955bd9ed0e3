import { z } from "zod";

// Which deals a schedule's runs read. Empty lists mean "any": the default scope is every open deal.
// Ids are the provider's own (HubSpot pipeline/stage/owner ids; Salesforce record type ids, stage
// names and user ids); the schedule service checks them against the connection's live lists.

const ids = z.array(z.string().trim().min(1).max(100)).max(100);

export const scanScopeSchema = z
  .strictObject({
    pipeline_ids: ids.optional(),
    stage_ids: ids.optional(),
    owner_ids: ids.optional(),
    min_amount: z.number().min(0).max(1e12).nullable().optional(),
  })
  .describe("Which open deals a run reads: empty lists (or {}) mean all open deals");
export type ScanScopeInput = z.input<typeof scanScopeSchema>;

export type ScanScope = { pipelineIds: string[]; stageIds: string[]; ownerIds: string[]; minAmount: number | null };

export const ALL_OPEN_DEALS: ScanScope = Object.freeze({ pipelineIds: [], stageIds: [], ownerIds: [], minAmount: null }) as ScanScope;

/** The stored JSON (snake_case, as the API takes it) as a scope; anything unreadable is all open deals. */
export function readScanScope(stored: unknown): ScanScope {
  const parsed = scanScopeSchema.safeParse(stored ?? {});
  if (!parsed.success) return ALL_OPEN_DEALS;
  const s = parsed.data;
  return { pipelineIds: s.pipeline_ids ?? [], stageIds: s.stage_ids ?? [], ownerIds: s.owner_ids ?? [], minAmount: s.min_amount ?? null };
}

export function isAllOpenDeals(s: ScanScope): boolean {
  return !s.pipelineIds.length && !s.stageIds.length && !s.ownerIds.length && s.minAmount === null;
}
