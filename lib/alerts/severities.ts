// Alert severities, zod-free so client components can import them without the schemas module.
export const SEVERITIES = ["critical", "warning", "info"] as const;
export type Severity = (typeof SEVERITIES)[number];
