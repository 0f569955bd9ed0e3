import { z } from "zod";
import { HEALTH_BANDS, SEVERITY_VALUES, type SeverityValue } from "@/lib/runs/analysis-constants";
import { queryInt } from "@/lib/schedules/schemas";

// Public contract of GET /api/analysis/{id} (snake_case JSON): the API, OpenAPI and the pages share it.

export { HEALTH_BANDS, SEVERITY_VALUES, type SeverityValue };

export const findingSchema = z.object({
  id: z.string(),
  deal_id: z.string(),
  deal_name: z.string(),
  amount: z.number().nullable(),
  stage: z.string().nullable(),
  rule: z.string(),
  rule_label: z.string(),
  severity: z.enum(SEVERITY_VALUES),
  message: z.string(),
  /** the deal's findings add up to high risk (lib/reviews/score.ts) */
  high_risk: z.boolean(),
});
export type FindingDto = z.infer<typeof findingSchema>;

/** One (deal, rule) issue in the comparison with the previous run. */
export const issueChangeSchema = z.object({
  deal_id: z.string(),
  deal_name: z.string(),
  rule: z.string(),
  rule_label: z.string(),
  severity: z.enum(SEVERITY_VALUES),
  message: z.string(),
});
export type IssueChangeDto = z.infer<typeof issueChangeSchema>;

export const analysisChangeSchema = z.object({
  previous_analysis_id: z.string(),
  previous_run_id: z.string().nullable(),
  previous_health_score: z.number(),
  /** current minus previous: positive is better */
  health_delta: z.number(),
  new_issues_count: z.number(),
  resolved_issues_count: z.number(),
  /** at most CHANGE_LIST_LIMIT of each, most severe first; the counts are exact */
  new_issues: z.array(issueChangeSchema),
  resolved_issues: z.array(issueChangeSchema),
});
export type AnalysisChangeDto = z.infer<typeof analysisChangeSchema>;

export const analysisSchema = z.object({
  id: z.string(),
  run_id: z.string().nullable(),
  schedule_id: z.string(),
  schedule_name: z.string(),
  created_at: z.string(),
  deals_analyzed: z.number(),
  health_score: z.number(),
  band: z.enum(HEALTH_BANDS),
  issues_found: z.number(),
  high_risk_deals: z.number(),
  total_amount: z.number(),
  counts_by_rule: z.array(z.object({ rule: z.string(), label: z.string(), count: z.number() })),
  counts_by_severity: z.object({ low: z.number(), medium: z.number(), high: z.number(), critical: z.number() }),
  /** high-risk deals first, then by severity; at most FINDINGS_LIMIT rows (findings_total is exact) */
  findings: z.array(findingSchema),
  findings_total: z.number(),
  /** null for the first completed run of a schedule */
  change: analysisChangeSchema.nullable(),
});
export type AnalysisDto = z.infer<typeof analysisSchema>;

export const FINDINGS_LIMIT = 2000;
export const CHANGE_LIST_LIMIT = 100;

/** GET /api/analysis/{id}/findings: every finding, page by page, by deal then rule. */
export const findingPageQuerySchema = z.strictObject({
  cursor: z.string().max(900).optional(),
  limit: queryInt(1, 1000).default(200),
});
export const findingPageSchema = z.object({ data: z.array(findingSchema), next_cursor: z.string().nullable() });
