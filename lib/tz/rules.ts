// Zone rules as the slot math needs them, and local wall time -> UTC instants. Pure: the database
// behind a ZoneRules lives in lib/tz/zones.ts (server-only); UTC needs none.

export type ZoneRules = {
  /** UTC offset in minutes east of Greenwich (New York in winter: -300) at a UTC instant (ms). */
  offsetAt(ms: number): number;
  /** Abbreviation in force at a UTC instant ("EDT", "BST", "UTC+10:30"). */
  abbreviationAt(ms: number): string;
  /** Instants (ms) in (from, to] at which the offset or abbreviation changes, ascending. */
  transitionsBetween(from: number, to: number): number[];
};

export const UTC_RULES: ZoneRules = { offsetAt: () => 0, abbreviationAt: () => "UTC", transitionsBetween: () => [] };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
// Real offsets lie within -12h..+14h, so an instant showing wall time W is within 14h of W.
const REACH = 15 * HOUR;
// Historical (LMT) offsets have seconds; whole milliseconds keep the equality checks exact.
const toMs = (minutes: number) => Math.round(minutes * MINUTE);

/**
 * What a wall time ("wall ms": the local date-time read as if it were UTC) is in real time:
 * one instant; two at a fall-back (first, second); or none, inside a spring-forward gap, where
 * `after` is the first valid instant after the gap (the transition itself).
 */
export type WallInstants =
  | { kind: "unique"; at: number }
  | { kind: "ambiguous"; at: number; second: number }
  | { kind: "gap"; after: number };

export function instantsOf(rules: ZoneRules, wall: number): WallInstants {
  const from = wall - REACH;
  const transitions = rules.transitionsBetween(from, wall + REACH);
  const offsets = new Set([rules.offsetAt(from), ...transitions.map((t) => rules.offsetAt(t))].map(toMs));
  const hits = [...offsets]
    .map((o) => wall - o)
    .filter((t) => toMs(rules.offsetAt(t)) === wall - t)
    .sort((a, b) => a - b);
  if (hits.length === 1) return { kind: "unique", at: hits[0]! };
  if (hits.length > 1) return { kind: "ambiguous", at: hits[0]!, second: hits[hits.length - 1]! };
  // In a gap: the transition whose old offset puts it before `wall` and whose new one after.
  const after = transitions.find((t) => t + toMs(rules.offsetAt(t - 1)) <= wall && wall < t + toMs(rules.offsetAt(t)));
  return { kind: "gap", after: after ?? wall - toMs(rules.offsetAt(wall)) };
}

/** The wall clock (as wall ms) at a UTC instant. */
export const wallAt = (rules: ZoneRules, ms: number) => ms + toMs(rules.offsetAt(ms));

/** Smallest and largest offset (minutes) in force over [from, to]. */
export function offsetRange(rules: ZoneRules, from: number, to: number): { min: number; max: number } {
  const all = [rules.offsetAt(from), ...rules.transitionsBetween(from, to).map((t) => rules.offsetAt(t))];
  return { min: Math.min(...all), max: Math.max(...all) };
}
