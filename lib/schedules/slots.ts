// The slot engine: cron matches are found in local wall time, then turned into UTC instants with
// the zone's rules, by the DST policy (README "DST as Vixie cron"):
// - fixed-time schedules: a wall time inside a spring-forward gap runs once, at the first valid
//   instant after the gap; a wall time that happens twice runs at its first occurrence only;
// - interval schedules follow real elapsed time: gap times are skipped, repeated times run twice.
import { instantsOf, offsetRange, type ZoneRules } from "@/lib/tz/rules";

export type CronSpec = {
  minutes: number[]; // ascending
  hours: number[]; // ascending
  days: Set<number>; // 1-31
  months: Set<number>; // 1-12
  weekdays: Set<number>; // 0-6, Sunday = 0
  /** Vixie: a day field starting with "*" makes both day fields required (AND), else either (OR). */
  bothDaysRequired: boolean;
  fixed: boolean;
};

export type Slot = {
  at: number; // UTC ms
  wall: number; // the matched local wall time (wall ms: local date-time read as UTC)
  dst: null | "gap_shifted" | "ambiguous_first";
};

const MINUTE = 60_000;
const DAY = 86_400_000;
const HORIZON_YEARS = 50; // the rarest valid match (Feb 29 on a given weekday) recurs well within this

function dayMatches(spec: CronSpec, y: number, m: number, d: number): boolean {
  const dom = spec.days.has(d);
  const dow = spec.weekdays.has(new Date(Date.UTC(y, m - 1, d)).getUTCDay());
  return spec.bothDaysRequired ? dom && dow : dom || dow;
}

/** Whether two consecutive calendar days can both match (a 28-year span holds every weekday of every date, Feb 29 too). */
function consecutiveDaysMatch(spec: CronSpec): boolean {
  let previous = false;
  for (let day = Date.UTC(2000, 0, 1); day < Date.UTC(2028, 0, 2); day += DAY) {
    const date = new Date(day);
    const m = date.getUTCMonth() + 1;
    const matches = spec.months.has(m) && dayMatches(spec, date.getUTCFullYear(), m, date.getUTCDate());
    if (matches && previous) return true;
    previous = matches;
  }
  return false;
}

/**
 * The shortest wall-clock gap between two matches, in minutes, read from the fields (so a cron whose
 * days are rare, such as "*\/5 * 29 2 *", shows its real 5 minutes); null with one match a day at most.
 * Midnight counts only when two consecutive days can both match. DST can shorten a real gap further:
 * callers that care also look at the enumerated slots.
 */
export function shortestFieldGapMinutes(spec: CronSpec): number | null {
  const times = spec.hours.flatMap((h) => spec.minutes.map((m) => h * 60 + m));
  if (times.length < 2) return null;
  let shortest = Infinity;
  for (let i = 1; i < times.length; i++) shortest = Math.min(shortest, times[i]! - times[i - 1]!);
  const overMidnight = 1440 - times.at(-1)! + times[0]!;
  if (overMidnight < shortest && consecutiveDaysMatch(spec)) shortest = overMidnight;
  return shortest;
}

/** Matching wall times from `from` (inclusive, wall ms), ascending. */
function* wallsFrom(spec: CronSpec, from: number): Generator<number> {
  const start = new Date(from);
  const startDay = Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate());
  const last = Date.UTC(start.getUTCFullYear() + HORIZON_YEARS, 0, 1);
  for (let day = startDay; day < last; day += DAY) {
    const date = new Date(day);
    const [y, m, d] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
    if (!spec.months.has(m)) {
      day = Date.UTC(y, m, 1) - DAY; // skip to the 1st of the next month
      continue;
    }
    if (!dayMatches(spec, y, m, d)) continue;
    for (const h of spec.hours) {
      if (day + (h + 1) * 60 * MINUTE <= from) continue;
      for (const min of spec.minutes) {
        const wall = day + (h * 60 + min) * MINUTE;
        if (wall >= from) yield wall;
      }
    }
  }
}

/** The first slot strictly after `after` (UTC ms), or null when none within the horizon. */
export function nextSlot(spec: CronSpec, rules: ZoneRules, after: number): Slot | null {
  // An instant > after shows a wall time > after + (smallest offset around it).
  const near = offsetRange(rules, after - DAY, after + DAY);
  const from = Math.floor((after + near.min * MINUTE) / MINUTE) * MINUTE;
  let best: Slot | null = null;
  let bound = Infinity;
  for (const wall of wallsFrom(spec, from)) {
    // Walls past `bound` can only map to instants later than the best one found.
    if (wall > bound) break;
    const real = instantsOf(rules, wall);
    const candidates: Slot[] =
      real.kind === "unique"
        ? [{ at: real.at, wall, dst: null }]
        : real.kind === "ambiguous"
          ? spec.fixed
            ? [{ at: real.at, wall, dst: "ambiguous_first" }]
            : [{ at: real.at, wall, dst: null }, { at: real.second, wall, dst: null }]
          : spec.fixed
            ? [{ at: real.after, wall, dst: "gap_shifted" }]
            : [];
    for (const slot of candidates) {
      if (slot.at <= after || (best && slot.at >= best.at)) continue;
      best = slot;
      bound = slot.at + offsetRange(rules, slot.at - DAY, slot.at + DAY).max * MINUTE;
    }
  }
  return best;
}
