import { healthBand } from "@/lib/reviews/bands";
import type { HealthBand } from "@/lib/reviews/types";

// Display helpers shared by the run and analysis views (server and client components).

export const ACTIVE_STATUSES = ["queued", "running"] as const;
export const isActive = (status: string) => (ACTIVE_STATUSES as readonly string[]).includes(status);

const numberFormat = new Intl.NumberFormat("en-US");
const amountFormat = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

export const formatCount = (n: number | null | undefined) => (n === null || n === undefined ? "—" : numberFormat.format(n));
export const formatAmount = (n: number | null | undefined) => (n === null || n === undefined ? "—" : amountFormat.format(n));

/** 850 ms, 12.4 s, 3 min 05 s */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
}

export const BAND_TEXT: Record<HealthBand, string> = { red: "at risk", yellow: "needs attention", green: "healthy" };
export const BAND_CLASS: Record<HealthBand, string> = { red: "text-red-700", yellow: "text-amber-700", green: "text-emerald-700" };
/** Chart band fills: the hues of the text classes, lighter so a faint fill still reads as its colour. */
export const BAND_HEX: Record<HealthBand, string> = { red: "#ef4444", yellow: "#eab308", green: "#22c55e" };

export { healthBand };
