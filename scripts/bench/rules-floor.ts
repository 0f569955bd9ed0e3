// The honest floor for the rules: a hand-written loop that evaluates the 13 default rules'
// predicates directly on the deal array (Date.parse on the timestamps, the thresholds inlined) and
// counts hits per rule. No engine, no settings, no messages, no finding objects: what a person would
// write for one fixed rule set. tests/unit/rules-floor.test.ts checks the engine agrees with it.
import { generateDemoDeals } from "@/lib/crm/demo";
import type { Deal, RuleId } from "@/lib/reviews/types";
import { STAGE_EXPECTED_PROBABILITY } from "@/lib/reviews/types";

const DAY = 86_400_000;
const blank = (s: string | null) => s === null || s.trim() === "";

export function bareRuleCounts(deals: readonly Deal[], now: Date): Record<RuleId, number> {
  const nowMs = now.getTime();
  const today = now.toISOString().slice(0, 10);
  let stale = 0, pastClose = 0, nextStep = 0, stalled = 0, owner = 0, amount = 0, pushed = 0, prob = 0;
  let slipped = 0, backward = 0, decreased = 0, nextActivity = 0, single = 0;
  for (let i = 0; i < deals.length; i++) {
    const d = deals[i]!;
    if (nowMs - Date.parse(d.lastActivityAt ?? d.createdAt) >= 14 * DAY) stale++;
    if (d.closeDate !== null && d.closeDate.slice(0, 10) < today) pastClose++;
    if (blank(d.nextStep)) nextStep++;
    if (d.stageEnteredAt !== null && nowMs - Date.parse(d.stageEnteredAt) >= 30 * DAY) stalled++;
    if (blank(d.owner)) owner++;
    if (d.amount === null || !Number.isFinite(d.amount) || d.amount <= 0) amount++;
    if (d.closeDatePushes >= 2) pushed++;
    if (d.probability !== null) {
      const expected = STAGE_EXPECTED_PROBABILITY[d.stage.trim().toLowerCase()];
      if (expected !== undefined && Math.abs(d.probability - expected) > 25) prob++;
    }
    if (d.closeDateSlipDays != null && d.closeDateSlipDays >= 30) slipped++;
    if (d.stageBackwardMoves != null && d.stageBackwardMoves >= 1) backward++;
    const peak = d.peakAmount;
    if (peak != null && peak > 0 && d.amount !== null && d.amount < peak && Math.round(((peak - d.amount) / peak) * 100) >= 20) decreased++;
    if (d.nextActivityScheduled === false) nextActivity++;
    if (d.contactCount != null && d.contactCount <= 1) single++;
  }
  return {
    stale, past_close_date: pastClose, no_next_step: nextStep, stalled_in_stage: stalled, no_owner: owner, missing_amount: amount,
    close_date_pushed: pushed, probability_inconsistent: prob, close_date_slipped: slipped, stage_moved_backward: backward,
    amount_decreased: decreased, no_next_activity: nextActivity, single_threaded: single,
  };
}

/**
 * The demo CRM reports no CRM-only signals; give every deal some (as a Salesforce or HubSpot fetch
 * would) so the signal rules really run on all of them. Built as one object literal, as the connectors
 * build deals: copies made with `{ ...deal, extra }` end up with two hidden classes here, and every rule
 * (engine and floor alike) then reads fields ~30x slower, which measured V8, not the rules.
 */
export function benchDeals(size: number, now: Date): Deal[] {
  return generateDemoDeals({ seed: 42, size, now }).map((d, i) => ({
    id: d.id, name: d.name, amount: d.amount, currency: d.currency, stage: d.stage, probability: d.probability, closeDate: d.closeDate,
    createdAt: d.createdAt, lastActivityAt: d.lastActivityAt, nextStep: d.nextStep, owner: d.owner, stageEnteredAt: d.stageEnteredAt,
    closeDatePushes: d.closeDatePushes, closeDateSlipDays: (i * 7) % 60, stageBackwardMoves: i % 11 === 0 ? 1 : 0,
    peakAmount: d.amount === null ? null : d.amount * (i % 5 === 0 ? 1.5 : 1), nextActivityScheduled: i % 4 !== 0, contactCount: i % 3,
  }));
}
