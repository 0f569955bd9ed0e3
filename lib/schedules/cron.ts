// 5-field cron: validation, parsing into a match table, fixed-time classification, English text.
// Client-safe (no time zone data): the form and the shared zod schemas use it too.
//
// Day fields follow Vixie cron: when day-of-month and day-of-week are both restricted, a day runs
// if it matches either, unless one of the two fields starts with "*" (e.g. "*/2"): then it must
// match both. So "0 12 1 * 1" is the 1st and every Monday, "0 12 */2 * 1" is odd-numbered Mondays.
import { CronPattern } from "croner";
import cronstrue from "cronstrue";
import { nextSlot, type CronSpec } from "@/lib/schedules/slots";
import { UTC_RULES } from "@/lib/tz/rules";

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
const FIELDS = [
  { name: "minute", min: 0, max: 59, names: [] as string[] },
  { name: "hour", min: 0, max: 23, names: [] as string[] },
  { name: "day-of-month", min: 1, max: 31, names: [] as string[] },
  { name: "month", min: 1, max: 12, names: MONTHS },
  { name: "day-of-week", min: 0, max: 7, names: DAYS },
];
// Portable subset only (no ?, L, W, #, +): other schedulers and cronstrue must agree with us.
const ITEM = /^(?:\*|([0-9]+|[A-Za-z]{3})(?:-([0-9]+|[A-Za-z]{3}))?)(?:\/([0-9]+))?$/;
const FIXED_REFERENCE = Date.UTC(2000, 0, 1);

export const fieldsOf = (expr: string): string[] => expr.trim().split(/\s+/).filter(Boolean);

function checkSyntax(fields: string[]): string | null {
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
  return null;
}

const indexes = (flags: number[], shift = 0) => flags.flatMap((on, i) => (on ? [i + shift] : []));

/** Croner parses the fields (ranges, steps, names, 7 = Sunday); matching and DST are ours. */
function toSpec(fields: string[]): CronSpec {
  const p = new CronPattern(fields.join(" "), undefined, { mode: "5-part" });
  return {
    minutes: indexes(p.minute),
    hours: indexes(p.hour),
    days: new Set(indexes(p.day, 1)),
    months: new Set(indexes(p.month, 1)),
    weekdays: new Set(indexes(p.dayOfWeek)),
    bothDaysRequired: fields[2]!.startsWith("*") || fields[4]!.startsWith("*"),
    fixed: isFixedTime(fields.join(" ")),
  };
}

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
  const problem = checkSyntax(fields);
  if (problem) return problem;
  try {
    if (!nextSlot(toSpec(fields), UTC_RULES, FIXED_REFERENCE)) return "Cron expression never matches a date (e.g. 30 February)";
  } catch (err) {
    return `Invalid cron expression: ${err instanceof Error ? err.message.replace(/^CronPattern: /, "") : String(err)}`;
  }
  return null;
}

/** The match table of a valid expression; throws the validation message otherwise. */
export function parseCron(expr: string): CronSpec {
  const problem = validateCron(expr);
  if (problem) throw new Error(problem);
  return toSpec(fieldsOf(expr));
}

/**
 * Fixed-time (DST policy): no wildcard or step in minute and hour, so lists and ranges count
 * ("30 2,14 * * *"); matches croner's "no-wildcard" rule, as Vixie cron treats them.
 */
export function isFixedTime(cron: string): boolean {
  const [minute, hour] = fieldsOf(cron);
  return [minute, hour].every((f) => f !== undefined && /^[0-9,-]+$/.test(f));
}

export function describeCron(cron: string): string {
  const fields = fieldsOf(cron);
  const spec = parseCron(cron);
  const text = cronstrue.toString(fields.join(" "), {
    use24HourTimeFormat: false,
    verbose: false,
    trimHoursLeadingZero: false,
    dayOfWeekStartIndexZero: true,
    throwExceptionOnParseError: true,
    locale: "en",
  });
  // cronstrue joins both day fields with "and" either way; say which rule applies.
  if (fields[2] === "*" || fields[4] === "*") return text;
  return `${text} (${spec.bothDaysRequired ? "only on days matching both" : "on days matching either"})`;
}
