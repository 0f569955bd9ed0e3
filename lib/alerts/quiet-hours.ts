import "server-only";
import { instantsOf, wallAt } from "@/lib/tz/rules";
import { zoneRules } from "@/lib/tz/zones";

// Recurring quiet hours: on the listed days of the week (0 = Sunday, in the settings' time zone) from
// start to end, wall clock. A window whose end is not after its start runs past midnight into the next day
// (days name the day it starts). Non-critical messages are held until the window ends.

export type QuietHours = { days: number[]; start: string; end: string; time_zone: string };

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** When the quiet window `at` falls in ends (a UTC instant), or null when `at` is outside quiet hours. */
export function quietUntil(q: QuietHours | null, at: Date): Date | null {
  const rules = q && zoneRules(q.time_zone);
  if (!q || !rules) return null;
  const wall = wallAt(rules, at.getTime());
  const midnight = wall - (((wall % DAY) + DAY) % DAY);
  const start = minutes(q.start) * MIN;
  const length = ((minutes(q.end) - minutes(q.start) + 24 * 60) % (24 * 60) || 24 * 60) * MIN;
  // The window that started today, or yesterday's running past midnight.
  for (const dayStart of [midnight, midnight - DAY]) {
    const weekday = new Date(dayStart).getUTCDay();
    const from = dayStart + start;
    if (!q.days.includes(weekday) || wall < from || wall >= from + length) continue;
    const end = instantsOf(rules, from + length);
    return new Date(end.kind === "gap" ? end.after : end.kind === "ambiguous" ? end.second : end.at);
  }
  return null;
}
