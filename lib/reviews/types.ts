import { z } from "zod";
import type { FindingTable } from "./findings";

/** A CRM deal after normalisation by a connector. Timestamps are ISO-8601 strings. */
export interface Deal {
  id: string;
  name: string;
  amount: number | null;
  currency: string;
  stage: string;
  /** 0-100, as the CRM reports it. */
  probability: number | null;
  /** ISO date ("2026-03-31") or date-time; its calendar date is compared with now's UTC date. */
  closeDate: string | null;
  createdAt: string;
  lastActivityAt: string | null;
  nextStep: string | null;
  owner: string | null;
  stageEnteredAt: string | null;
  /** How many times the close date has been moved later. */
  closeDatePushes: number;
  // Signals only some CRMs give; undefined means "not reported" and the rules that need them skip the deal.
  /** Days the close date moved later in all (Salesforce OpportunityHistory). */
  closeDateSlipDays?: number | null;
  /** Moves back to an earlier stage (Salesforce OpportunityHistory with the stage order). */
  stageBackwardMoves?: number | null;
  /** The highest amount the deal has had (Salesforce OpportunityHistory). */
  peakAmount?: number | null;
  /** Whether a next activity is scheduled (HubSpot notes_next_activity_date, Salesforce HasOpenActivity). */
  nextActivityScheduled?: boolean;
  /** Contacts associated with the deal (HubSpot num_associated_contacts). */
  contactCount?: number | null;
}

export const RULE_IDS = [
  "stale",
  "past_close_date",
  "no_next_step",
  "stalled_in_stage",
  "no_owner",
  "missing_amount",
  "close_date_pushed",
  "probability_inconsistent",
  "close_date_slipped",
  "stage_moved_backward",
  "amount_decreased",
  "no_next_activity",
  "single_threaded",
] as const;
export type RuleId = (typeof RULE_IDS)[number];

/** Matches the Prisma `Severity` enum, so values can be stored as-is. */
export const SEVERITIES = ["LOW", "MEDIUM", "HIGH", "CRITICAL"] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface RuleConfig {
  enabled: boolean;
  severity: Severity;
}
export interface ThresholdRuleConfig extends RuleConfig {
  threshold: number;
}

/**
 * Per-schedule rule settings. Thresholds:
 * - stale: days without activity (>= triggers)
 * - stalled_in_stage: days in the current stage (>= triggers)
 * - close_date_pushed: number of pushes (>= triggers)
 * - probability_inconsistent: tolerance in percentage points (> triggers)
 */
export interface RuleSettings {
  stale: ThresholdRuleConfig;
  past_close_date: RuleConfig;
  no_next_step: RuleConfig;
  stalled_in_stage: ThresholdRuleConfig;
  no_owner: RuleConfig;
  missing_amount: RuleConfig;
  close_date_pushed: ThresholdRuleConfig;
  probability_inconsistent: ThresholdRuleConfig;
  /** days the close date slipped in all (>= triggers) */
  close_date_slipped: ThresholdRuleConfig;
  /** backward stage moves (>= triggers) */
  stage_moved_backward: ThresholdRuleConfig;
  /** percent below the deal's highest amount (>= triggers) */
  amount_decreased: ThresholdRuleConfig;
  no_next_activity: RuleConfig;
  /** minimum amount a deal needs to be judged (0 = every deal) */
  single_threaded: ThresholdRuleConfig;
}

/** Deeply frozen: callers get copies from resolveRuleSettings and must not mutate these. */
export const DEFAULT_RULE_SETTINGS: Readonly<RuleSettings> = deepFreeze<RuleSettings>({
  stale: { enabled: true, severity: "MEDIUM", threshold: 14 },
  past_close_date: { enabled: true, severity: "HIGH" },
  no_next_step: { enabled: true, severity: "LOW" },
  stalled_in_stage: { enabled: true, severity: "MEDIUM", threshold: 30 },
  no_owner: { enabled: true, severity: "MEDIUM" },
  missing_amount: { enabled: true, severity: "LOW" },
  close_date_pushed: { enabled: true, severity: "MEDIUM", threshold: 2 },
  probability_inconsistent: { enabled: true, severity: "LOW", threshold: 25 },
  close_date_slipped: { enabled: true, severity: "MEDIUM", threshold: 30 },
  stage_moved_backward: { enabled: true, severity: "MEDIUM", threshold: 1 },
  amount_decreased: { enabled: true, severity: "MEDIUM", threshold: 20 },
  no_next_activity: { enabled: true, severity: "LOW" },
  single_threaded: { enabled: true, severity: "MEDIUM", threshold: 0 },
});

function deepFreeze<T extends object>(o: T): T {
  for (const v of Object.values(o)) if (typeof v === "object" && v !== null) Object.freeze(v);
  return Object.freeze(o);
}

const severitySchema = z.enum(SEVERITIES);
const ruleSchema = z.strictObject({
  enabled: z.boolean().optional(),
  severity: severitySchema.optional(),
});
const thresholdRuleSchema = (threshold: z.ZodType<number>) =>
  z.strictObject({
    enabled: z.boolean().optional(),
    severity: severitySchema.optional(),
    threshold: threshold.optional(),
  });

/**
 * Partial settings as stored on a schedule / sent by the UI; every key optional.
 * Strict so a typo'd rule or field is rejected rather than silently ignored.
 */
export const ruleSettingsSchema = z.strictObject({
  stale: thresholdRuleSchema(z.number().int().min(1).max(365)).optional(),
  past_close_date: ruleSchema.optional(),
  no_next_step: ruleSchema.optional(),
  stalled_in_stage: thresholdRuleSchema(z.number().int().min(1).max(365)).optional(),
  no_owner: ruleSchema.optional(),
  missing_amount: ruleSchema.optional(),
  close_date_pushed: thresholdRuleSchema(z.number().int().min(1).max(50)).optional(),
  probability_inconsistent: thresholdRuleSchema(z.number().min(0).max(100)).optional(),
  close_date_slipped: thresholdRuleSchema(z.number().int().min(1).max(3650)).optional(),
  stage_moved_backward: thresholdRuleSchema(z.number().int().min(1).max(50)).optional(),
  amount_decreased: thresholdRuleSchema(z.number().min(1).max(100)).optional(),
  no_next_activity: ruleSchema.optional(),
  single_threaded: thresholdRuleSchema(z.number().min(0).max(1e12)).optional(),
});
export type RuleSettingsInput = z.input<typeof ruleSettingsSchema>;

/**
 * Validates partial settings (e.g. a schedule's `ruleSettings` JSON) and merges them over
 * the defaults. null/undefined mean "all defaults". Throws a ZodError on invalid input.
 */
export function resolveRuleSettings(partial?: unknown): RuleSettings {
  const parsed = ruleSettingsSchema.parse(partial ?? {});
  const d = DEFAULT_RULE_SETTINGS;
  return {
    stale: { ...d.stale, ...parsed.stale },
    past_close_date: { ...d.past_close_date, ...parsed.past_close_date },
    no_next_step: { ...d.no_next_step, ...parsed.no_next_step },
    stalled_in_stage: { ...d.stalled_in_stage, ...parsed.stalled_in_stage },
    no_owner: { ...d.no_owner, ...parsed.no_owner },
    missing_amount: { ...d.missing_amount, ...parsed.missing_amount },
    close_date_pushed: { ...d.close_date_pushed, ...parsed.close_date_pushed },
    probability_inconsistent: { ...d.probability_inconsistent, ...parsed.probability_inconsistent },
    close_date_slipped: { ...d.close_date_slipped, ...parsed.close_date_slipped },
    stage_moved_backward: { ...d.stage_moved_backward, ...parsed.stage_moved_backward },
    amount_decreased: { ...d.amount_decreased, ...parsed.amount_decreased },
    no_next_activity: { ...d.no_next_activity, ...parsed.no_next_activity },
    single_threaded: { ...d.single_threaded, ...parsed.single_threaded },
  };
}

/**
 * Expected win probability (%) per pipeline stage, keyed lower-case. HubSpot default pipeline
 * ids plus Salesforce standard stage names. Stages not listed are not judged.
 */
export const STAGE_EXPECTED_PROBABILITY: Readonly<Record<string, number>> = Object.freeze({
  appointmentscheduled: 20,
  qualifiedtobuy: 40,
  presentationscheduled: 60,
  decisionmakerboughtin: 80,
  contractsent: 90,
  closedwon: 100,
  closedlost: 0,
  prospecting: 10,
  qualification: 10,
  "needs analysis": 20,
  "value proposition": 50,
  "id. decision makers": 60,
  "perception analysis": 70,
  "proposal/price quote": 75,
  "negotiation/review": 90,
  "closed won": 100,
  "closed lost": 0,
});

/** Case-insensitive lookup; null when the stage is unknown. */
export function expectedProbabilityForStage(stage: string): number | null {
  const key = stage.trim().toLowerCase();
  return Object.hasOwn(STAGE_EXPECTED_PROBABILITY, key) ? STAGE_EXPECTED_PROBABILITY[key] : null;
}

export interface Finding {
  dealId: string;
  dealName: string;
  amount: number | null;
  stage: string;
  rule: RuleId;
  severity: Severity;
  message: string;
}

export type HealthBand = "red" | "yellow" | "green";

export interface AnalysisResult {
  dealsAnalyzed: number;
  /** Number of findings. */
  issuesFound: number;
  highRiskDeals: number;
  highRiskDealIds: string[];
  /** Integer 0-100; see lib/reviews/score.ts for the formula. */
  healthScore: number;
  band: HealthBand;
  /** Sum of known amounts (nulls count as 0; currencies are not converted). */
  totalAmount: number;
  countsByRule: Record<RuleId, number>;
  countsBySeverity: Record<Severity, number>;
  /** The findings as the engine keeps them: columns, one row per finding (see ./findings.ts). */
  table: FindingTable;
  /** The same findings as objects, in table order; built on first read (cheap callers read `table`). */
  readonly findings: Finding[];
}
