/**
 * Deal rules. Hot path: analyzeDeals runs this for up to ~100k deals per review, so settings are
 * compiled once into flat numeric fields and each deal is evaluated in straight-line code with
 * no closures, no regex and at most one date parse per rule.
 */
import { expectedProbabilityForStage, type Deal, type RuleId, type RuleSettings } from "./types";
import { RULE_CODE, SEVERITY_CODE, type FindingTable } from "./findings";
import { compileSignalRules, evaluateSignals, type SignalRules } from "./signals";

export const DAY_MS = 86_400_000;

export const RULE_LABELS: Readonly<Record<RuleId, string>> = Object.freeze({
  stale: "Stale deal",
  past_close_date: "Close date in the past",
  no_next_step: "No next step",
  stalled_in_stage: "Stalled in stage",
  no_owner: "No owner",
  missing_amount: "Missing amount",
  close_date_pushed: "Close date pushed repeatedly",
  probability_inconsistent: "Probability inconsistent with stage",
  close_date_slipped: "Close date slipped",
  stage_moved_backward: "Stage moved backward",
  amount_decreased: "Amount decreased",
  no_next_activity: "No next activity scheduled",
  single_threaded: "Single-threaded",
});

const d2 = (s: string, i: number): number => (s.charCodeAt(i) - 48) * 10 + (s.charCodeAt(i + 1) - 48);

/** Days since 1970-01-01 for a proleptic Gregorian date (Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = (((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) | 0) + d - 1;
  const doe = yoe * 365 + ((yoe / 4) | 0) - ((yoe / 100) | 0) + doy;
  return era * 146097 + doe - 719468;
}

function isDigits(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * Epoch ms of an ISO-8601 string; NaN when invalid. ~4x faster than Date.parse for the shapes
 * CRMs emit ("2026-03-31", "...T10:00:00Z", "...T10:00:00.000+0000"); anything else, including
 * zone-less date-times (local time per spec), falls back to Date.parse.
 */
export function parseIsoMs(s: string): number {
  const n = s.length;
  if (n < 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return Date.parse(s);
  if (!isDigits(s, 0, 4) || !isDigits(s, 5, 7) || !isDigits(s, 8, 10)) return Date.parse(s);
  const mo = d2(s, 5);
  const d = d2(s, 8);
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return Date.parse(s);
  let ms = daysFromCivil(d2(s, 0) * 100 + d2(s, 2), mo, d) * DAY_MS;
  if (n === 10) return ms;
  const t = s.charCodeAt(10);
  if (n < 20 || (t !== 84 && t !== 32) || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return Date.parse(s);
  if (!isDigits(s, 11, 13) || !isDigits(s, 14, 16) || !isDigits(s, 17, 19)) return Date.parse(s);
  ms += d2(s, 11) * 3_600_000 + d2(s, 14) * 60_000 + d2(s, 17) * 1000;
  let i = 19;
  if (s.charCodeAt(i) === 46) {
    i++;
    let frac = 0;
    let digits = 0;
    for (; i < n; i++) {
      const c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      if (digits < 3) {
        frac = frac * 10 + c;
        digits++;
      }
    }
    if (digits === 0) return Date.parse(s);
    for (; digits < 3; digits++) frac *= 10;
    ms += frac;
  }
  if (i >= n) return Date.parse(s);
  const z = s.charCodeAt(i);
  if (z === 90 && i + 1 === n) return ms; // "Z"
  if (z !== 43 && z !== 45) return Date.parse(s);
  let offMin: number;
  if (i + 6 === n && s.charCodeAt(i + 3) === 58 && isDigits(s, i + 1, i + 3) && isDigits(s, i + 4, i + 6)) {
    offMin = d2(s, i + 1) * 60 + d2(s, i + 4);
  } else if (i + 5 === n && isDigits(s, i + 1, i + 5)) {
    offMin = d2(s, i + 1) * 60 + d2(s, i + 3);
  } else {
    return Date.parse(s);
  }
  return z === 43 ? ms - offMin * 60_000 : ms + offMin * 60_000;
}

/** UTC day number of a string starting "YYYY-MM-DD", or NaN. Avoids slicing the string. */
function isoDayNumber(s: string): number {
  if (s.length < 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return NaN;
  if (!isDigits(s, 0, 4) || !isDigits(s, 5, 7) || !isDigits(s, 8, 10)) return NaN;
  return daysFromCivil(d2(s, 0) * 100 + d2(s, 2), d2(s, 5), d2(s, 8));
}

const plural = (n: number, word: string): string => (n === 1 ? `1 ${word}` : `${n} ${word}s`);

/** Per raw stage string: expected probability (-1 = not judged) and memoised message ids. */
interface StageInfo {
  expected: number;
  stalledMsgs: number[];
  probMsgs: number[];
}

/**
 * Settings flattened for the hot loop; build once per analysis with compileRules. Messages are
 * memoised by their small-integer inputs (days, pushes, probability) because with ~100k findings
 * per run the string allocations, not the rule checks, dominate the cost (GC). Findings are rows
 * of a FindingTable (./findings), not objects: severities are SEVERITY_CODE values and the memos
 * hold message ids interned in the table, so one CompiledRules serves one table.
 */
export interface CompiledRules {
  readonly nowMs: number;
  /** now's UTC calendar date, "YYYY-MM-DD". */
  readonly today: string;
  readonly todayDay: number;
  readonly staleOn: boolean;
  readonly staleSev: number;
  readonly staleMs: number;
  readonly pastCloseOn: boolean;
  readonly pastCloseSev: number;
  readonly nextStepOn: boolean;
  readonly nextStepSev: number;
  readonly stalledOn: boolean;
  readonly stalledSev: number;
  readonly stalledMs: number;
  readonly ownerOn: boolean;
  readonly ownerSev: number;
  readonly amountOn: boolean;
  readonly amountSev: number;
  readonly pushedOn: boolean;
  readonly pushedSev: number;
  readonly pushedMin: number;
  readonly probOn: boolean;
  readonly probSev: number;
  readonly probTolerance: number;
  readonly stages: Map<string, StageInfo>;
  readonly staleMsgs: number[];
  readonly neverActiveMsgs: number[];
  readonly pastCloseMsgs: number[];
  readonly pushedMsgs: number[];
  /** Ids of the messages that never vary, by rule code. */
  readonly fixedMsgs: number[];
  /** Rules on signals only some CRMs report (./signals). */
  readonly signals: SignalRules;
}

export function compileRules(settings: RuleSettings, now: Date): CompiledRules {
  const nowMs = now.getTime();
  return {
    nowMs,
    today: now.toISOString().slice(0, 10),
    todayDay: Math.floor(nowMs / DAY_MS),
    staleOn: settings.stale.enabled,
    staleSev: SEVERITY_CODE[settings.stale.severity],
    staleMs: settings.stale.threshold * DAY_MS,
    pastCloseOn: settings.past_close_date.enabled,
    pastCloseSev: SEVERITY_CODE[settings.past_close_date.severity],
    nextStepOn: settings.no_next_step.enabled,
    nextStepSev: SEVERITY_CODE[settings.no_next_step.severity],
    stalledOn: settings.stalled_in_stage.enabled,
    stalledSev: SEVERITY_CODE[settings.stalled_in_stage.severity],
    stalledMs: settings.stalled_in_stage.threshold * DAY_MS,
    ownerOn: settings.no_owner.enabled,
    ownerSev: SEVERITY_CODE[settings.no_owner.severity],
    amountOn: settings.missing_amount.enabled,
    amountSev: SEVERITY_CODE[settings.missing_amount.severity],
    pushedOn: settings.close_date_pushed.enabled,
    pushedSev: SEVERITY_CODE[settings.close_date_pushed.severity],
    pushedMin: settings.close_date_pushed.threshold,
    probOn: settings.probability_inconsistent.enabled,
    probSev: SEVERITY_CODE[settings.probability_inconsistent.severity],
    probTolerance: settings.probability_inconsistent.threshold,
    stages: new Map(),
    staleMsgs: [],
    neverActiveMsgs: [],
    pastCloseMsgs: [],
    pushedMsgs: [],
    fixedMsgs: [],
    signals: compileSignalRules(settings),
  };
}

function stageInfo(c: CompiledRules, stage: string): StageInfo {
  let info = c.stages.get(stage);
  if (info === undefined) {
    info = { expected: expectedProbabilityForStage(stage) ?? -1, stalledMsgs: [], probMsgs: [] };
    c.stages.set(stage, info);
  }
  return info;
}

/** Amounts that carry no information for forecasting; shared with scoring. */
export function isMissingAmount(amount: number | null): boolean {
  return amount === null || !Number.isFinite(amount) || amount <= 0;
}

// Not a closure in evaluateDeal: capturing its locals would allocate a context on every call.
const probMsg = (p: number, stage: string, info: StageInfo) => `Probability ${p}% is out of line with stage "${stage}" (expected ~${info.expected}%)`;

const STALE = RULE_CODE.stale;
const PAST_CLOSE = RULE_CODE.past_close_date;
const NO_NEXT_STEP = RULE_CODE.no_next_step;
const STALLED = RULE_CODE.stalled_in_stage;
const NO_OWNER = RULE_CODE.no_owner;
const MISSING_AMOUNT = RULE_CODE.missing_amount;
const PUSHED = RULE_CODE.close_date_pushed;
const PROBABILITY = RULE_CODE.probability_inconsistent;

/** Appends the findings of `deal` (at `index` in out.deals) to `out`; returns how many were appended. */
export function evaluateDeal(c: CompiledRules, deal: Deal, index: number, out: FindingTable): number {
  const start = out.length;

  if (c.staleOn) {
    const last = deal.lastActivityAt;
    const idleMs = c.nowMs - parseIsoMs(last ?? deal.createdAt);
    if (idleMs >= c.staleMs) {
      const days = Math.floor(idleMs / DAY_MS);
      const msgs = last === null ? c.neverActiveMsgs : c.staleMsgs;
      const msg = (msgs[days] ??= out.intern(
        last === null ? `No activity recorded since creation ${plural(days, "day")} ago` : `No activity for ${plural(days, "day")}`,
      ));
      out.push(index, STALE, c.staleSev, msg);
    }
  }

  if (c.pastCloseOn) {
    const close = deal.closeDate;
    // "YYYY-MM-DD..." strings order like dates, so the common (future) case needs no parsing.
    if (close !== null && close < c.today) {
      const days = c.todayDay - isoDayNumber(close);
      if (days > 0) {
        const msg = (c.pastCloseMsgs[days] ??= out.intern(`Close date ${close.slice(0, 10)} passed ${plural(days, "day")} ago`));
        out.push(index, PAST_CLOSE, c.pastCloseSev, msg);
      }
    }
  }

  if (c.nextStepOn) {
    const step = deal.nextStep;
    if (step === null || step.trim().length === 0) {
      out.push(index, NO_NEXT_STEP, c.nextStepSev, (c.fixedMsgs[NO_NEXT_STEP] ??= out.intern("No next step set")));
    }
  }

  if (c.stalledOn && deal.stageEnteredAt !== null) {
    const inStageMs = c.nowMs - parseIsoMs(deal.stageEnteredAt);
    if (inStageMs >= c.stalledMs) {
      const days = Math.floor(inStageMs / DAY_MS);
      const msgs = stageInfo(c, deal.stage).stalledMsgs;
      const msg = (msgs[days] ??= out.intern(`In stage "${deal.stage}" for ${plural(days, "day")}`));
      out.push(index, STALLED, c.stalledSev, msg);
    }
  }

  if (c.ownerOn) {
    const owner = deal.owner;
    if (owner === null || owner.trim().length === 0) {
      out.push(index, NO_OWNER, c.ownerSev, (c.fixedMsgs[NO_OWNER] ??= out.intern("No owner assigned")));
    }
  }

  if (c.amountOn && isMissingAmount(deal.amount)) {
    const msg = deal.amount === null ? (c.fixedMsgs[MISSING_AMOUNT] ??= out.intern("No amount set")) : out.intern(`Amount is ${deal.amount}`);
    out.push(index, MISSING_AMOUNT, c.amountSev, msg);
  }

  if (c.pushedOn && deal.closeDatePushes >= c.pushedMin) {
    const n = deal.closeDatePushes;
    const msg = (c.pushedMsgs[n] ??= out.intern(`Close date pushed ${plural(n, "time")}`));
    out.push(index, PUSHED, c.pushedSev, msg);
  }

  if (c.probOn && deal.probability !== null) {
    const info = stageInfo(c, deal.stage);
    const p = deal.probability;
    if (info.expected >= 0 && Math.abs(p - info.expected) > c.probTolerance) {
      // Only integral percentages are memoised; anything else is rare enough to build each time.
      const msg = Number.isInteger(p) && p >= 0 && p <= 100 ? (info.probMsgs[p] ??= out.intern(probMsg(p, deal.stage, info))) : out.intern(probMsg(p, deal.stage, info));
      out.push(index, PROBABILITY, c.probSev, msg);
    }
  }

  evaluateSignals(c.signals, deal, index, out);
  return out.length - start;
}
