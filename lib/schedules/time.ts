// Schedule time math in IANA zones: next runs, missed-slot counting, previews and formatting.
//
// Zone rules come from the project's time zone database (lib/tz/zones.ts), never the runtime's ICU.
// Every function enumerates slots through the same engine (lib/schedules/slots.ts, which states the
// DST policy), so previews, nextRunAfter and slotsBetween (missed-slot counting) cannot disagree.
import "server-only";
import { describeCron, isFixedTime, parseCron, validateCron } from "@/lib/schedules/cron";
import { frequencySchema, frequencyToCron, type Frequency } from "@/lib/schedules/frequency";
import { nextSlot, shortestFieldGapMinutes, type CronSpec, type Slot } from "@/lib/schedules/slots";
import { isZoneName, suggestZone } from "@/lib/tz/names";
import { wallAt, type ZoneRules } from "@/lib/tz/rules";
import { zoneRules } from "@/lib/tz/zones";

export { describeCron, frequencySchema, frequencyToCron, isFixedTime, validateCron, type Frequency };

/** Exactly the database's names: canonical zones and backward links (Asia/Calcutta, US/Eastern, Etc/GMT+5). */
export const isValidTimeZone = (tz: string): boolean => isZoneName(tz);

// Input is validated exactly (isValidTimeZone); rows saved before names were checked exactly may
// hold another case ("AMERICA/NEW_YORK") and keep running under the database's spelling.
function rulesFor(tz: string): ZoneRules {
  const name = isValidTimeZone(tz) ? tz : suggestZone(tz);
  const rules = name ? zoneRules(name) : null;
  if (!rules) throw new Error(`Unknown time zone "${tz}"`);
  return rules;
}

function assertDate(d: Date, name: string): void {
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) throw new TypeError(`${name} must be a valid Date`);
}

type Job = { spec: CronSpec; rules: ZoneRules };
// The dispatcher asks for the same few (cron, zone) pairs thousands of times per tick: parse once.
const JOB_CACHE_MAX = 5_000;
const jobs = new Map<string, Job>();
function jobFor(cron: string, tz: string): Job {
  const key = `${cron}\u0000${tz}`;
  let job = jobs.get(key);
  if (!job) {
    job = { spec: parseCron(cron), rules: rulesFor(tz) };
    if (jobs.size >= JOB_CACHE_MAX) jobs.clear();
    jobs.set(key, job);
  }
  return job;
}
const next = (job: Job, after: number): Slot | null => nextSlot(job.spec, job.rules, after);

export function nextRunAfter(cron: string, tz: string, after: Date): Date | null {
  assertDate(after, "after");
  const slot = next(jobFor(cron, tz), after.getTime());
  return slot ? new Date(slot.at) : null;
}

export function slotsBetween(
  cron: string,
  tz: string,
  afterExclusive: Date,
  untilInclusive: Date,
  limit = 10_000,
): Date[] {
  assertDate(afterExclusive, "afterExclusive");
  assertDate(untilInclusive, "untilInclusive");
  const job = jobFor(cron, tz);
  const slots: Date[] = [];
  let cursor = afterExclusive.getTime();
  while (slots.length < limit) {
    const slot = next(job, cursor);
    if (!slot || slot.at > untilInclusive.getTime()) break;
    slots.push(new Date(slot.at));
    cursor = slot.at;
  }
  return slots; // length === limit means the window may hold more
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");
const formatOffset = (min: number) => `${min < 0 ? "-" : "+"}${pad(Math.floor(Math.abs(min) / 60))}:${pad(Math.round(Math.abs(min) % 60))}`;
const MONTH_LABELS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const DAY_LABELS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
// A wall time is held as "wall ms" (the local date-time read as UTC), so getUTC* reads its fields.
const dateLabel = (wall: Date) => `${wall.getUTCDate()} ${MONTH_LABELS[wall.getUTCMonth()]} ${wall.getUTCFullYear()}`;
const hhmm = (wall: Date) => `${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}`;

export function formatInZone(d: Date, tz: string): string {
  assertDate(d, "date");
  const rules = rulesFor(tz);
  const wall = new Date(wallAt(rules, d.getTime()));
  const ms = wall.getUTCMilliseconds() ? `.${pad(wall.getUTCMilliseconds(), 3)}` : "";
  const date = `${pad(wall.getUTCFullYear(), 4)}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())}`;
  return `${date}T${hhmm(wall)}:${pad(wall.getUTCSeconds())}${ms}${formatOffset(rules.offsetAt(d.getTime()))}`;
}

/** "Mon 9 Mar 2026, 06:00 EDT": an instant as the zone's clock shows it (pages and previews). */
export function formatLocal(d: Date, tz: string): string {
  assertDate(d, "date");
  const rules = rulesFor(tz);
  const wall = new Date(wallAt(rules, d.getTime()));
  return `${DAY_LABELS[wall.getUTCDay()]} ${dateLabel(wall)}, ${hhmm(wall)} ${rules.abbreviationAt(d.getTime())}`;
}

export type RunPreview = {
  at: string; // ISO 8601 with the zone's offset, e.g. 2026-03-09T06:00:00-04:00
  utc: string;
  local: string; // "Mon 9 Mar 2026, 06:00 EDT"
  dst: null | { kind: "gap_shifted" | "ambiguous_first" | "offset_changed"; note: string };
};

/** Why a run sits where it does around a DST change; the engine says which wall time it matched. */
function dstNote(slot: Slot, prev: number, rules: ZoneRules): RunPreview["dst"] {
  const abbr = rules.abbreviationAt(slot.at);
  const shown = new Date(wallAt(rules, slot.at));
  if (slot.dst === "gap_shifted") {
    const planned = new Date(slot.wall);
    return {
      kind: "gap_shifted",
      note: `${hhmm(planned)} does not exist on ${dateLabel(planned)} (clocks go forward); runs at ${hhmm(shown)} ${abbr}`,
    };
  }
  if (slot.dst === "ambiguous_first") {
    return { kind: "ambiguous_first", note: `${hhmm(shown)} happens twice on ${dateLabel(shown)}; runs once, at the first (${abbr})` };
  }
  const was = rules.offsetAt(prev);
  const now = rules.offsetAt(slot.at);
  if (was === now) return null;
  return {
    kind: "offset_changed",
    note: `Clocks went ${now > was ? "forward" : "back"} (${rules.abbreviationAt(prev)} to ${abbr}); UTC offset is now ${formatOffset(now)}`,
  };
}

/** The zone's UTC offset (minutes) at `ms`: what a preview's first DST note compares with. */
export function utcOffsetAt(tz: string, ms: number): number {
  return jobFor("0 0 * * *", tz).rules.offsetAt(ms);
}

export function nextRuns(cron: string, tz: string, from: Date, count = 5): RunPreview[] {
  return runsBetween(cron, tz, from, null, count);
}

/** The runs after `from` up to `until` (inclusive; null: no end), at most `limit`, DST moves marked as in the preview. */
export function runsBetween(cron: string, tz: string, from: Date, until: Date | null, limit: number): RunPreview[] {
  assertDate(from, "from");
  if (until) assertDate(until, "until");
  const job = jobFor(cron, tz);
  const runs: RunPreview[] = [];
  let prev = from.getTime();
  while (runs.length < limit) {
    const slot = next(job, prev);
    if (!slot || (until && slot.at > until.getTime())) break;
    const at = new Date(slot.at);
    runs.push({ at: formatInZone(at, tz), utc: at.toISOString(), local: formatLocal(at, tz), dst: dstNote(slot, prev, job.rules) });
    prev = slot.at;
  }
  return runs;
}

/**
 * The shortest gap between two runs of a cron, in minutes, or null when it runs at most once a year.
 * - The fields give the wall-clock gap on any day that matches, however rare (Feb 29).
 * - Only a UTC-offset change brings two runs closer in real time (spring forward): the slots within a
 *   day of every change of the zone in the next 366 days are measured, so the answer does not depend
 *   on `from` (a short slot prefix would miss a change months away).
 * - Gaps of more than a day (one run a day, weekly) come from the next slots.
 */
export function shortestIntervalMinutes(cron: string, tz: string, from = new Date()): number | null {
  assertDate(from, "from");
  const job = jobFor(cron, tz);
  let shortest: number | null = shortestFieldGapMinutes(job.spec);
  const measure = (slots: number[]) => {
    for (let i = 1; i < slots.length; i++) {
      const gap = (slots[i]! - slots[i - 1]!) / 60_000;
      if (shortest === null || gap < shortest) shortest = gap;
    }
  };
  const yearAhead = from.getTime() + 400 * DAY_MS; // a cron that runs at most once a year has no gap
  measure(slotTimes(job, from.getTime(), yearAhead, LONG_GAP_SLOTS).filter((at) => at <= yearAhead));
  for (const change of job.rules.transitionsBetween(from.getTime(), from.getTime() + 366 * DAY_MS))
    measure(slotTimes(job, change - DAY_MS - 1, change + DAY_MS, Infinity));
  return shortest;
}

const DAY_MS = 86_400_000;
const LONG_GAP_SLOTS = 60;

/** Slots after `after`, up to and including the first one past `until`, at most `limit`. */
function slotTimes(job: Job, after: number, until: number, limit: number): number[] {
  const out: number[] = [];
  let slot = next(job, after);
  while (slot && out.length < limit) {
    out.push(slot.at);
    if (slot.at > until) break;
    slot = next(job, slot.at);
  }
  return out;
}
