import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { Severity } from "@/lib/alerts/schemas";

const TONE: Record<Severity, BadgeTone> = { critical: "red", warning: "amber", info: "blue" };
const LABEL: Record<Severity, string> = { critical: "Critical", warning: "Warning", info: "Info" };

/** Severity as words first; the colour only repeats it. */
export function SeverityBadge({ severity }: { severity: Severity }) {
  return <Badge tone={TONE[severity]}>{LABEL[severity]}</Badge>;
}
