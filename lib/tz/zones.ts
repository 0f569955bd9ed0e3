import "server-only";
import moment from "moment-timezone";
import { canonicalZone } from "@/lib/tz/names";
import type { ZoneRules } from "@/lib/tz/rules";

// The IANA time zone database the schedule math runs on: moment-timezone's packed data (pinned in
// package.json; `npm run doctor` prints its release). Node's bundled ICU is never consulted for
// offsets: it lags IANA by months (Node 20.20 ships 2025c). Only the zone tables are read here,
// never moment's date arithmetic. Server-only: the data is ~700 KB, the browser gets names only.

export const TZDB = { version: moment.tz.dataVersion, source: `moment-timezone@${moment.tz.version}` } as const;

const MINUTE = 60_000;
const cache = new Map<string, ZoneRules>();

/** Normalise an IANA abbreviation: numeric ones ("+1030", "-03") read better as "UTC+10:30", "UTC-3". */
function label(abbr: string): string {
  const m = /^([+-])(\d{2})(\d{2})?$/.exec(abbr);
  if (!m) return abbr;
  const [, sign, hh, mm] = m;
  if (Number(hh) === 0 && !Number(mm ?? 0)) return "UTC";
  return `UTC${sign}${Number(hh)}${mm && mm !== "00" ? `:${mm}` : ""}`;
}

/** The zone's rules, or null for a name the database does not have (names are matched exactly). */
export function zoneRules(name: string): ZoneRules | null {
  const hit = cache.get(name);
  if (hit) return hit;
  if (!canonicalZone(name)) return null;
  const zone = moment.tz.zone(name);
  if (!zone) return null;
  // moment stores minutes *west* of UTC, valid until untils[i] (exclusive); the last is Infinity.
  const { untils, offsets, abbrs } = zone;
  const indexAt = (ms: number) => {
    let lo = 0;
    let hi = untils.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (untils[mid]! > ms) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  const rules: ZoneRules = {
    offsetAt: (ms) => -Math.round(offsets[indexAt(ms)]! * MINUTE) / MINUTE,
    abbreviationAt: (ms) => label(abbrs[indexAt(ms)]!),
    transitionsBetween(from, to) {
      const out: number[] = [];
      for (let i = indexAt(from); i < untils.length - 1 && untils[i]! <= to; i++) out.push(untils[i]!);
      return out;
    },
  };
  cache.set(name, rules);
  return rules;
}
