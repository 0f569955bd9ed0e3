import type { Deal } from "@/lib/reviews/types";
import { parseAmount, parseCloseDate, parseInstant, type HubspotStage } from "./hubspot-map";
import { summarizeHistory, type SfHistoryRow } from "./salesforce-map";

// HubSpot property history (batch read with propertiesWithHistory) -> the same history shape the
// Salesforce connector gets from OpportunityHistory, so close_date_slipped, stage_moved_backward and
// amount_decreased judge HubSpot deals too. Pure, so it is unit-tested on its own.

/** The properties whose history is read. */
export const HISTORY_PROPERTIES = ["closedate", "amount", "dealstage"] as const;
/** Batch read inputs per request when propertiesWithHistory is asked (HubSpot: 50, against 100 without). */
export const HISTORY_BATCH_SIZE = 50;

export type HubspotHistoryEntry = { value?: string | null; timestamp?: string };
export type HubspotHistory = Partial<Record<(typeof HISTORY_PROPERTIES)[number], HubspotHistoryEntry[]>>;
export type HistoryFields = Pick<Deal, "closeDatePushes" | "closeDateSlipDays" | "stageBackwardMoves" | "peakAmount">;

/**
 * Each change of any of the three properties becomes a snapshot row (every property's value as of that
 * change), oldest first, as OpportunityHistory rows are; summarizeHistory then counts pushes, slip days,
 * backward stage moves (by the stages' display order, compared only within one pipeline: a deal moved
 * to another pipeline has not gone backward) and the peak amount.
 */
export function hubspotHistoryFields(history: HubspotHistory | undefined, stages: ReadonlyMap<string, HubspotStage>): HistoryFields {
  const changes: { at: number; prop: keyof HubspotHistory; value: string | null }[] = [];
  for (const prop of HISTORY_PROPERTIES) {
    for (const e of history?.[prop] ?? []) {
      const at = Date.parse(parseInstant(e.timestamp) ?? "");
      if (Number.isFinite(at)) changes.push({ at, prop, value: e.value ?? null });
    }
  }
  changes.sort((a, b) => a.at - b.at);
  const state: { closedate: string | null; amount: number | null; dealstage: string | null } = { closedate: null, amount: null, dealstage: null };
  const rows: SfHistoryRow[] = [];
  for (const c of changes) {
    if (c.prop === "closedate") state.closedate = parseCloseDate(c.value);
    else if (c.prop === "amount") state.amount = parseAmount(c.value);
    else state.dealstage = c.value;
    rows.push({ OpportunityId: "", StageName: state.dealstage, CloseDate: state.closedate, Amount: state.amount, CreatedDate: new Date(c.at).toISOString() });
  }
  const order = new Map([...stages].map(([id, s]) => [id, s.displayOrder]));
  const samePipeline = (a: string, b: string) => stages.get(a)?.pipelineId === stages.get(b)?.pipelineId;
  const s = summarizeHistory(rows, null, order, samePipeline);
  return { closeDatePushes: s.closeDatePushes, closeDateSlipDays: s.closeDateSlipDays, stageBackwardMoves: s.stageBackwardMoves, peakAmount: s.peakAmount };
}
