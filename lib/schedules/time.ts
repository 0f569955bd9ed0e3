// Schedule time math: cron validation, next runs and missed-slot counting in IANA zones.
//
// DST policy (Vixie cron, croner's default, pinned explicitly below so an upgrade can't drift):
// - fixed-time slots (no wildcard or step in minute and hour, e.g. "30 2 * * *" or the 12h list
//   "30 2,14 * * *": Vixie cron treats lists as fixed times too) run once per listed time:
//   a slot inside a spring-forward gap runs at the first valid instant after the gap, and a slot
//   that happens twice at fall-back runs only at its first occurrence;
// - everything else is an interval schedule and follows real elapsed time: gap times don't
//   exist (skipped) and repeated times run on both occurrences.
// Every function enumerates slots through the same croner job, so previews, nextRunAfter and
// slotsBetween (missed-slot counting) can never disagree.
import { Cron, type CronOptions } from "croner";
import cronstrue from "cronstrue";
import { z } from "zod";

const CRON_OPTIONS = {
  mode: "5-part",
  fixedTimeRule: "no-wildcard",
  domAndDow: false, // Vixie semantics: day-of-month OR day-of-week
} as const satisfies CronOptions;

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
const FIELDS = [
  { name: "minute", min: 0, max: 59, names: [] as string[] },
  { name: "hour", min: 0, max: 23, names: [] as string[] },
  { name: "day-of-month", min: 1, max: 31, names: [] as string[] },
  { name: "month", min: 1, max: 12, names: MONTHS },
  { name: "day-of-week", min: 0, max: 7, names: DAYS },
];
// Portable subset only (no ?, L, W, #, +): other schedulers and cronstrue must agree with croner.
const ITEM = /^(?:\*|([0-9]+|[A-Za-z]{3})(?:-([0-9]+|[A-Za-z]{3}))?)(?:\/([0-9]+))?$/;
const FIXED_REFERENCE = new Date(Date.UTC(2000, 0, 1));

const fieldsOf = (expr: string): string[] => expr.trim().split(/\s+/).filter(Boolean);

export function validateCron(expr: string): string | null {
  if (typeof expr !== "string" || expr.trim() === "") return "Cron expression is empty";
  const fields = fieldsOf(expr);
  if (fields[0]?.startsWith("@")) {
    return `Nicknames like "${fields[0]}" are not supported; use 5 fields: minute hour day-of-month month day-of-week`;
  }
  if (fields.length !== 5) {
    const extra = fields.length > 5 ? " (seconds and years are not supported)" : "";
    return `Expected 5 fields (minute hour day-of-month month day-of-week), got ${fields.length}${extra}`;
  }
  for (const [i, field] of fields.entries()) {
    const spec = FIELDS[i]!;
    for (const item of field.split(",")) {
      const m = ITEM.exec(item);
      if (!m) return `Unsupported syntax "${item}" in the ${spec.name} field`;
      for (const raw of [m[1], m[2]]) {
        if (raw === undefined) continue;
        const named = spec.names.indexOf(raw.toUpperCase());
        if (/^[A-Za-z]/.test(raw) && named < 0) return `Unknown name "${raw}" in the ${spec.name} field`;
        const value = named >= 0 ? named + (spec.name === "month" ? 1 : 0) : Number(raw);
        if (value < spec.min || value > spec.max) {
          return `${spec.name} value ${raw} is out of range (${spec.min}-${spec.max})`;
        }
      }
      if (m[3] !== undefined && Number(m[3]) < 1) return `Step "/${m[3]}" in the ${spec.name} field must be at least 1`;
    }
  }
  try {
    const job = new Cron(fields.join(" "), { ...CRON_OPTIONS, timezone: "UTC" });
    if (!job.nextRun(FIXED_REFERENCE)) return "Cron expression never matches a date (e.g. 30 February)";
  } catch (err) {
    return `Invalid cron expression: ${err instanceof Error ? err.message.replace(/^CronPattern: /, "") : String(err)}`;
  }
  return null;
}

let zoneNames: Set<string> | undefined;
export function isValidTimeZone(tz: string): boolean {
  if (typeof tz !== "string" || tz === "") return false;
  zoneNames ??= new Set([...Intl.supportedValuesOf("timeZone"), "UTC"]);
  if (zoneNames.has(tz)) return true;
  // supportedValuesOf lists only ICU's canonical spelling (Node 20: "Asia/Calcutta", not "Asia/Kolkata"),
  // so accept Region/City aliases Intl resolves, in proper case; offsets and abbreviations stay out.
  if (!/^[A-Z][A-Za-z0-9_+-]*(?:\/[A-Z][A-Za-z0-9_+-]*)+$/.test(tz)) return false;
  try {
    return zoneNames.has(new Intl.DateTimeFormat("en-US", { timeZone: tz }).resolvedOptions().timeZone);
  } catch {
    return false;
  }
}

export type Frequency = {
  every: "daily" | "12h" | "6h" | "weekly";
  time: string; // "HH:MM", 24-hour, in the schedule's zone
  day_of_week?: number; // 0-6, Sunday = 0; required for weekly, ignored otherwise
};

export const frequencySchema = z
  .object({
    every: z.enum(["daily", "12h", "6h", "weekly"]),
    time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "time must be HH:MM (24-hour)"),
    day_of_week: z.number().int().min(0).max(6).optional(),
  })
  .refine((f) => f.every !== "weekly" || f.day_of_week !== undefined, {
    error: "day_of_week (0-6, Sunday = 0) is required for weekly schedules",
    path: ["day_of_week"],
  });

export function frequencyToCron(f: Frequency): string {
  const { every, time, day_of_week } = frequencySchema.parse(f);
  const [hour, minute] = time.split(":").map(Number) as [number, number];
  const step = { daily: 24, weekly: 24, "12h": 12, "6h": 6 }[every];
  const hours = Array.from({ length: 24 / step }, (_, i) => (hour + i * step) % 24).sort((a, b) => a - b);
  return `${minute} ${hours.join(",")} * * ${every === "weekly" ? day_of_week : "*"}`;
}

/** Fixed-time per the policy above; matches croner's "no-wildcard" rule for 5-field patterns. */
export function isFixedTime(cron: string): boolean {
  const [minute, hour] = fieldsOf(cron);
  return [minute, hour].every((f) => f !== undefined && /^[0-9,-]+$/.test(f));
}

function jobFor(cron: string, tz: string): Cron {
  const problem = validateCron(cron);
  if (problem) throw new Error(problem);
  if (!isValidTimeZone(tz)) throw new Error(`Unknown time zone "${tz}"`);
  return new Cron(fieldsOf(cron).join(" "), { ...CRON_OPTIONS, timezone: tz });
}

function assertDate(d: Date, name: string): void {
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) throw new TypeError(`${name} must be a valid Date`);
}

// Always hand croner Date objects: strings would be read as wall time in the job's zone.
function nextOf(job: Cron, after: Date): Date | null {
  let next = job.nextRun(new Date(after.getTime()));
  // Croner drops milliseconds; never let that (or a regression) yield a slot at or before `after`.
  while (next && next.getTime() <= after.getTime()) next = job.nextRun(new Date(next.getTime() + 1000));
  return next;
}

export function nextRunAfter(cron: string, tz: string, after: Date): Date | null {
  assertDate(after, "after");
  return nextOf(jobFor(cron, tz), after);
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
  let cursor = afterExclusive;
  while (slots.length < limit) {
    const next = nextOf(job, cursor);
    if (!next || next.getTime() > untilInclusive.getTime()) break;
    slots.push(next);
    cursor = next;
  }
  return slots; // length === limit means the window may hold more
}

type Wall = { year: number; month: number; day: number; hour: number; minute: number; second: number; weekday: string };
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: string, tz: string, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${tz}|${JSON.stringify(opts)}`;
  let f = formatters.get(key);
  if (!f) formatters.set(key, (f = new Intl.DateTimeFormat(locale, { ...opts, timeZone: tz })));
  return f;
}

function wallOf(d: Date, tz: string): Wall {
  const parts = formatter("en-US", tz, {
    hourCycle: "h23", weekday: "short", year: "numeric", month: "numeric", day: "numeric",
    hour: "numeric", minute: "numeric", second: "numeric",
  }).formatToParts(d);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  return {
    year: Number(get("year")), month: Number(get("month")), day: Number(get("day")), hour: Number(get("hour")),
    minute: Number(get("minute")), second: Number(get("second")), weekday: get("weekday"),
  };
}

/** UTC offset in minutes (e.g. +345 for Kathmandu), from the wall clock rather than a name table. */
function offsetMinutes(d: Date, tz: string): number {
  const w = wallOf(d, tz);
  const wallMs = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return Math.round((wallMs - Math.floor(d.getTime() / 1000) * 1000) / 60_000);
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");
const formatOffset = (min: number) => `${min < 0 ? "-" : "+"}${pad(Math.floor(Math.abs(min) / 60))}:${pad(Math.abs(min) % 60)}`;

export function formatInZone(d: Date, tz: string): string {
  assertDate(d, "date");
  const w = wallOf(d, tz);
  const ms = d.getTime() % 1000 === 0 ? "" : `.${pad(((d.getTime() % 1000) + 1000) % 1000, 3)}`;
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${ms}${formatOffset(offsetMinutes(d, tz))}`;
}

/** Short zone name; en-US alone gives "GMT+1" for London, so try locales that know the local abbreviation. */
function zoneAbbreviation(d: Date, tz: string): string {
  let fallback = "";
  for (const locale of ["en-US", "en-GB", "en-AU", "en-IN"]) {
    const name = formatter(locale, tz, { timeZoneName: "short" }).formatToParts(d).find((p) => p.type === "timeZoneName")?.value ?? "";
    if (name && !/^(GMT|UTC)[+\-\u2212]/.test(name)) return name;
    fallback ||= name;
  }
  return fallback;
}

const MONTH_LABELS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const dateLabel = (w: Wall) => `${w.day} ${MONTH_LABELS[w.month - 1]} ${w.year}`;
const hhmm = (hour: number, minute: number) => `${pad(hour)}:${pad(minute)}`;

export type RunPreview = {
  at: string; // ISO 8601 with the zone's offset, e.g. 2026-03-09T06:00:00-04:00
  utc: string;
  local: string; // "Mon 9 Mar 2026, 06:00 EDT"
  dst: null | { kind: "gap_shifted" | "ambiguous_first" | "offset_changed"; note: string };
};

/** True when the same wall time happens again later (fall-back), i.e. `d` is the first of two. */
function hasLaterTwin(d: Date, tz: string): boolean {
  const before = offsetMinutes(d, tz);
  const after = offsetMinutes(new Date(d.getTime() + 6 * 3_600_000), tz); // any fall-back repeat is < 6h away
  if (after >= before) return false;
  const twin = new Date(d.getTime() + (before - after) * 60_000);
  return offsetMinutes(twin, tz) === after;
}

export function nextRuns(cron: string, tz: string, from: Date, count = 5): RunPreview[] {
  assertDate(from, "from");
  const job = jobFor(cron, tz);
  const fields = fieldsOf(cron);
  const fixed = isFixedTime(cron) ? { minute: Number(fields[0]), hour: Number(fields[1]) } : null;
  const runs: RunPreview[] = [];
  let prev = from;
  while (runs.length < count) {
    const at = nextOf(job, prev);
    if (!at) break;
    const w = wallOf(at, tz);
    const abbr = zoneAbbreviation(at, tz);
    let dst: RunPreview["dst"] = null;
    if (fixed && (w.hour !== fixed.hour || w.minute !== fixed.minute)) {
      dst = {
        kind: "gap_shifted",
        note: `${hhmm(fixed.hour, fixed.minute)} does not exist on ${dateLabel(w)} (clocks go forward); runs at ${hhmm(w.hour, w.minute)} ${abbr}`,
      };
    } else if (fixed && hasLaterTwin(at, tz)) {
      dst = { kind: "ambiguous_first", note: `${hhmm(w.hour, w.minute)} happens twice on ${dateLabel(w)}; runs once, at the first (${abbr})` };
    } else {
      const was = offsetMinutes(prev, tz);
      const now = offsetMinutes(at, tz);
      if (was !== now) {
        const moved = now > was ? "forward" : "back";
        dst = {
          kind: "offset_changed",
          note: `Clocks went ${moved} (${zoneAbbreviation(prev, tz)} to ${abbr}); UTC offset is now ${formatOffset(now)}`,
        };
      }
    }
    runs.push({
      at: formatInZone(at, tz),
      utc: at.toISOString(),
      local: `${w.weekday} ${dateLabel(w)}, ${hhmm(w.hour, w.minute)} ${abbr}`,
      dst,
    });
    prev = at;
  }
  return runs;
}

export function describeCron(cron: string): string {
  const problem = validateCron(cron);
  if (problem) throw new Error(problem);
  return cronstrue.toString(fieldsOf(cron).join(" "), {
    use24HourTimeFormat: false,
    verbose: false,
    trimHoursLeadingZero: false,
    dayOfWeekStartIndexZero: true,
    throwExceptionOnParseError: true,
    locale: "en",
  });
}
