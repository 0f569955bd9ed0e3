// Client-safe constants of the analysis contract (lib/runs/analysis-schemas.ts re-exports them).

export const SEVERITY_VALUES = ["low", "medium", "high", "critical"] as const;
export type SeverityValue = (typeof SEVERITY_VALUES)[number];
export const HEALTH_BANDS = ["red", "yellow", "green"] as const;
