import type { Deal } from "@/lib/reviews/types";

// Salesforce records -> Revwatch's normalised Deal. Pure, so each field has its own unit test.
// Date fields (CloseDate, LastActivityDate) are calendar dates with no zone and stay exactly as sent;
// datetimes ("2026-01-15T10:00:00.000+0000") become ISO-8601 UTC.

export type SfRecord = Record<string, unknown>;
export type SfHistoryRow = { OpportunityId: string; StageName?: string | null; CloseDate?: string | null; PrevCloseDate?: string | null; Amount?: number | null; PrevAmount?: number | null; CreatedDate: string };

/** Every org has these on Opportunity. */
export const OPPORTUNITY_FIELDS = [
  "Id", "Name", "StageName", "Amount", "CloseDate", "Probability", "NextStep", "LastActivityDate", "OwnerId", "Owner.Name",
  "CreatedDate", "LastModifiedDate", "HasOpenActivity",
] as const;
/** Only some orgs have these: RecordTypeId (record types in use), CurrencyIsoCode (multi-currency). */
export const OPTIONAL_OPPORTUNITY_FIELDS = ["RecordTypeId", "CurrencyIsoCode"] as const;

/** The SELECT list for an org whose Opportunity has `existing` fields (its describe). */
export function opportunityFields(existing: ReadonlySet<string>): string[] {
  return [...OPPORTUNITY_FIELDS, ...OPTIONAL_OPPORTUNITY_FIELDS.filter((f) => existing.has(f))];
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

export function sfDate(v: unknown): string | null {
  return typeof v === "string" && DATE_ONLY.test(v) ? v : null;
}

export function sfDateTime(v: unknown): string | null {
  if (typeof v !== "string" || !v) return null;
  // Salesforce writes the offset without a colon (+0000), which Date.parse reads on V8 but not everywhere.
  const ms = Date.parse(v.replace(/([+-]\d{2})(\d{2})$/, "$1:$2"));
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

export function sfNumber(v: unknown): number | null {
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v === "string" && v.trim() !== "") {
    const n = Number(v);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

const sfText = (v: unknown): string | null => (typeof v === "string" && v.trim() !== "" ? v.trim() : null);

/** What OpportunityHistory says about one opportunity, oldest row first. */
export type HistorySummary = {
  closeDatePushes: number; closeDateSlipDays: number; stageEnteredAt: string | null; stageBackwardMoves: number | null; peakAmount: number | null;
};

const DAY_MS = 86_400_000;
const dayDiff = (later: string, earlier: string) => Math.round((Date.parse(later) - Date.parse(earlier)) / DAY_MS);

/**
 * `stageOrder`: stage name -> SortOrder (OpportunityStage); without it backward moves are not judged.
 * `comparable`: whether two stages' orders may be compared at all (HubSpot: only within one pipeline).
 */
export function summarizeHistory(
  rows: readonly SfHistoryRow[], currentStage: string | null, stageOrder?: ReadonlyMap<string, number>,
  comparable: (from: string, to: string) => boolean = () => true,
): HistorySummary {
  let pushes = 0;
  let slipDays = 0;
  let backward = 0;
  let peak: number | null = null;
  let enteredAt: string | null = null;
  let prevStage: string | null | undefined;
  let prevClose: string | null = null;
  for (const r of rows) {
    // PrevCloseDate (API 50+) when present, else the previous row's CloseDate.
    const before = sfDate(r.PrevCloseDate) ?? prevClose;
    const close = sfDate(r.CloseDate);
    if (before !== null && close !== null && close > before) {
      pushes++;
      slipDays += dayDiff(close, before);
    }
    if (close !== null) prevClose = close;
    for (const a of [sfNumber(r.Amount), sfNumber(r.PrevAmount)]) if (a !== null && (peak === null || a > peak)) peak = a;
    const stage = r.StageName ?? null;
    if (stage !== prevStage) {
      const from = prevStage ? stageOrder?.get(prevStage) : undefined;
      const to = stage ? stageOrder?.get(stage) : undefined;
      if (from !== undefined && to !== undefined && to < from && comparable(prevStage!, stage!)) backward++;
      if (stage === currentStage) enteredAt = sfDateTime(r.CreatedDate);
      prevStage = stage;
    }
  }
  return { closeDatePushes: pushes, closeDateSlipDays: slipDays, stageEnteredAt: enteredAt, stageBackwardMoves: stageOrder ? backward : null, peakAmount: peak };
}

export function mapOpportunity(r: SfRecord, history: HistorySummary | undefined): Deal {
  const id = String(r.Id);
  const owner = (r.Owner as { Name?: unknown } | null | undefined)?.Name;
  const stage = sfText(r.StageName);
  return {
    id,
    name: sfText(r.Name) ?? `Opportunity ${id}`,
    amount: sfNumber(r.Amount),
    currency: sfText(r.CurrencyIsoCode) ?? "USD",
    stage: stage ?? "(no stage)",
    probability: sfNumber(r.Probability),
    closeDate: sfDate(r.CloseDate),
    createdAt: sfDateTime(r.CreatedDate) ?? new Date(0).toISOString(),
    lastActivityAt: sfDate(r.LastActivityDate),
    nextStep: sfText(r.NextStep),
    owner: sfText(owner),
    stageEnteredAt: history?.stageEnteredAt ?? null,
    closeDatePushes: history?.closeDatePushes ?? 0,
    closeDateSlipDays: history?.closeDateSlipDays ?? 0,
    stageBackwardMoves: history ? history.stageBackwardMoves : 0,
    peakAmount: history?.peakAmount ?? null,
    ...(typeof r.HasOpenActivity === "boolean" ? { nextActivityScheduled: r.HasOpenActivity } : {}),
  };
}

/** A SOQL string literal: backslash and quote escaped (the ids themselves are checked by the scope validation). */
export function soqlString(v: string): string {
  return `'${v.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
}
