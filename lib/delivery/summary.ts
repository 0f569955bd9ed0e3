// The channel-neutral shape of one review run, rendered by the email and Slack builders.

export type HealthBand = "red" | "yellow" | "green";

export type TopRisk = {
  dealName: string;
  amount: number | null;
  stage: string | null;
  reasons: string[];
};

export type ReviewSummary = {
  scheduleName: string;
  healthScore: number;
  previousHealthScore: number | null;
  band: HealthBand;
  dealsAnalyzed: number;
  issuesFound: number;
  highRiskDeals: number;
  newIssues: number;
  resolvedIssues: number;
  /** Up to 5; renderers ignore the rest. */
  topRisks: TopRisk[];
  analysisUrl: string;
  /** ISO 8601 */
  runAt: string;
};

export const MAX_TOP_RISKS = 5;

/** Text next to the colour, so the band never relies on colour alone (accessibility, plain text). */
export const BAND_LABEL: Record<HealthBand, string> = {
  red: "Red — at risk",
  yellow: "Yellow — needs attention",
  green: "Green — healthy",
};

export const BAND_COLOR: Record<HealthBand, string> = {
  red: "#dc2626",
  yellow: "#ca8a04",
  green: "#16a34a",
};

/** Scores are shown rounded; the delta is computed on the shown numbers so they always agree. */
export function displayScore(score: number): number {
  return Number.isFinite(score) ? Math.round(score) : 0;
}

/** "up 3" | "down 4" | "no change" | null when there is nothing to compare with. */
export function healthDelta(s: Pick<ReviewSummary, "healthScore" | "previousHealthScore">): string | null {
  if (s.previousHealthScore === null || !Number.isFinite(s.previousHealthScore)) return null;
  const diff = displayScore(s.healthScore) - displayScore(s.previousHealthScore);
  if (diff > 0) return `up ${diff}`;
  if (diff < 0) return `down ${-diff}`;
  return "no change";
}

/** Collapses whitespace: a schedule name is user input and must not break a mail header or a Slack header. */
export function singleLine(value: string): string {
  return value.replace(/[\s\u0000-\u001f\u007f]+/g, " ").trim();
}

export function subjectFor(s: ReviewSummary): string {
  const delta = healthDelta(s);
  const base = `Pipeline review: ${singleLine(s.scheduleName)} — health ${displayScore(s.healthScore)}`;
  return delta ? `${base} (${delta})` : base;
}

const usd = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 0 });

export function formatAmount(amount: number | null): string {
  return amount === null || !Number.isFinite(amount) ? "—" : usd.format(amount);
}

/** Only http(s) links are rendered; anything else (javascript:, data:) becomes null. */
export function safeLink(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.toString() : null;
  } catch {
    return null;
  }
}

/** Fixed UTC rendering: the sender has no idea of the recipient's timezone. */
export function formatRunAt(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
