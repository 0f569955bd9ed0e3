import { describeCron, nextRuns, utcOffsetAt, type RunPreview } from "@/lib/schedules/time";

// Every schedule read shows its cron in words and its next runs: ~0.3 ms and ~0.2 ms of CPU each
// (cronstrue; croner over the zone's rules), i.e. ~11 ms a list page of 21 schedules. Schedules share
// crons and zones, and the next runs stay the same until the first of them passes, so both are kept
// (bounded, and for at most a minute, so zone-rule updates show up). Callers must not mutate the results.

const MAX_ENTRIES = 1_000;
const MAX_AGE_MS = 60_000;

const descriptions = new Map<string, string>();
type Upcoming = { fromMs: number; untilMs: number; expiresMs: number; offset: number; runs: RunPreview[] };
const upcoming = new Map<string, Upcoming>();

function remember<V>(map: Map<string, V>, key: string, value: V): V {
  if (map.size >= MAX_ENTRIES) map.delete(map.keys().next().value!);
  map.set(key, value);
  return value;
}

export function describeCronCached(cron: string): string {
  return descriptions.get(cron) ?? remember(descriptions, cron, describeCron(cron));
}

/**
 * nextRuns(cron, tz, from, count), reused while `from` is before the first of them, the entry is fresh and
 * the zone's offset is the one it was computed at (the first run's DST note compares the offset at `from`).
 */
export function nextRunsCached(cron: string, tz: string, from: Date, count: number): RunPreview[] {
  const key = `${cron}\u0000${tz}\u0000${count}`;
  const t = from.getTime();
  const hit = upcoming.get(key);
  if (hit && t >= hit.fromMs && t < hit.untilMs && t < hit.expiresMs && utcOffsetAt(tz, t) === hit.offset) return hit.runs;
  const runs = nextRuns(cron, tz, from, count);
  const first = runs[0] ? Date.parse(runs[0].utc) : Infinity;
  return remember(upcoming, key, { fromMs: t, untilMs: first, expiresMs: t + MAX_AGE_MS, offset: utcOffsetAt(tz, t), runs }).runs;
}
