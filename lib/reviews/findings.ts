/**
 * Findings as columns. A review of 100k deals makes ~270k findings; as objects (7 fields each) their
 * allocation and the GC of keeping them cost most of analyzeDeals' time. The engine appends one row
 * per finding here instead: the deal's index into the analysed array, the rule and the severity as
 * small integers (their index in RULE_IDS / SEVERITIES) and the message as the index of its string
 * in `strings` (the rules intern each distinct message once and reuse its id, see ./rules.ts).
 * Finding objects are built only where a caller needs objects (findingsOf, AnalysisResult.findings);
 * the store reads the columns directly.
 */
import { RULE_IDS, SEVERITIES, type Deal, type Finding, type RuleId, type Severity } from "./types";

/** A rule's code: its index in RULE_IDS. */
export const RULE_CODE = Object.freeze(Object.fromEntries(RULE_IDS.map((r, i) => [r, i]))) as Readonly<Record<RuleId, number>>;
/** A severity's code: its index in SEVERITIES. */
export const SEVERITY_CODE = Object.freeze(Object.fromEntries(SEVERITIES.map((s, i) => [s, i]))) as Readonly<Record<Severity, number>>;

export class FindingTable {
  length = 0;
  /** Index of the finding's deal in `deals`. */
  deal: Int32Array;
  rule: Uint8Array;
  severity: Uint8Array;
  /** Index of the finding's message in `strings`. */
  msg: Int32Array;
  readonly strings: string[] = [];

  constructor(
    readonly deals: readonly Deal[],
    capacity = 1024,
  ) {
    this.deal = new Int32Array(capacity);
    this.rule = new Uint8Array(capacity);
    this.severity = new Uint8Array(capacity);
    this.msg = new Int32Array(capacity);
  }

  /** Adds a message string; returns its id for push. */
  intern(message: string): number {
    return this.strings.push(message) - 1;
  }

  push(dealIndex: number, rule: number, severity: number, msg: number): void {
    const i = this.length;
    if (i === this.deal.length) this.grow();
    this.deal[i] = dealIndex;
    this.rule[i] = rule;
    this.severity[i] = severity;
    this.msg[i] = msg;
    this.length = i + 1;
  }

  private grow(): void {
    const cap = this.deal.length * 2 || 1024;
    const deal = new Int32Array(cap);
    deal.set(this.deal);
    const rule = new Uint8Array(cap);
    rule.set(this.rule);
    const severity = new Uint8Array(cap);
    severity.set(this.severity);
    this.deal = deal;
    this.rule = rule;
    this.severity = severity;
    const msg = new Int32Array(cap);
    msg.set(this.msg);
    this.msg = msg;
  }

  ruleAt(i: number): RuleId {
    return RULE_IDS[this.rule[i]!]!;
  }

  severityAt(i: number): Severity {
    return SEVERITIES[this.severity[i]!]!;
  }

  messageAt(i: number): string {
    return this.strings[this.msg[i]!]!;
  }

  /** Row `i` as a Finding object. */
  at(i: number): Finding {
    const d = this.deals[this.deal[i]!]!;
    return { dealId: d.id, dealName: d.name, amount: d.amount, stage: d.stage, rule: this.ruleAt(i), severity: this.severityAt(i), message: this.messageAt(i) };
  }

  /** Rows [from, to) as Finding objects, in order. */
  toArray(from = 0, to = this.length): Finding[] {
    const out: Finding[] = [];
    for (let i = from; i < to; i++) out.push(this.at(i));
    return out;
  }
}
