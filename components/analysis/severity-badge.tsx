import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { SeverityValue } from "@/lib/runs/analysis-schemas";

export const SEVERITY_TONE: Record<SeverityValue, BadgeTone> = { critical: "red", high: "red", medium: "amber", low: "slate" };
export const SEVERITY_LABEL: Record<SeverityValue, string> = { critical: "Critical", high: "High", medium: "Medium", low: "Low" };

export function SeverityBadge({ severity }: { severity: SeverityValue }) {
  return <Badge tone={SEVERITY_TONE[severity]}>{SEVERITY_LABEL[severity]}</Badge>;
}
