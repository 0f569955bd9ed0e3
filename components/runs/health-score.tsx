import { BAND_CLASS, BAND_TEXT, healthBand } from "@/components/runs/format";

/** A health score in its band colour; the band is also written out for screen readers and on hover. */
export function HealthScore({ score, size = "sm" }: { score: number | null; size?: "sm" | "lg" }) {
  if (score === null) return <span className="text-slate-400">—</span>;
  const band = healthBand(score);
  if (size === "lg")
    return (
      <span className={`flex items-baseline gap-2 ${BAND_CLASS[band]}`} data-testid="health-score">
        <span className="text-4xl font-bold tabular-nums">{score}</span>
        <span className="text-sm font-medium">/ 100 · {band} — {BAND_TEXT[band]}</span>
      </span>
    );
  return (
    <span className={`font-semibold tabular-nums ${BAND_CLASS[band]}`} title={`${band}: ${BAND_TEXT[band]}`}>
      {score}
      <span className="sr-only"> ({band}: {BAND_TEXT[band]})</span>
    </span>
  );
}
