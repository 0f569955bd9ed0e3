// Health bands: client-safe (the pages import them without the rules and their zod settings schema).
import type { HealthBand } from "./types";

/** A score below `red` is red, below `yellow` yellow, else green (the charts draw the same bands). */
export const BAND_LIMITS = { red: 60, yellow: 80 } as const;

export function healthBand(score: number): HealthBand {
  if (score < BAND_LIMITS.red) return "red";
  if (score < BAND_LIMITS.yellow) return "yellow";
  return "green";
}
