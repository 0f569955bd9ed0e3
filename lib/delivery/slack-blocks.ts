// Slack Block Kit message for an incoming webhook. Slack rejects the whole message when one limit is
// exceeded, so every user-supplied string is escaped first and clipped after.
import {
  BAND_LABEL,
  MAX_TOP_RISKS,
  displayScore,
  formatAmount,
  formatRunAt,
  healthDelta,
  safeLink,
  singleLine,
  subjectFor,
  type HealthBand,
  type ReviewSummary,
} from "@/lib/delivery/summary";

export const SLACK_LIMITS = {
  blocks: 50,
  text: 3000, // section text, context element, top-level fallback text (Slack truncates past 40k; we stay small)
  field: 2000, // each section field
  fields: 10,
  header: 150, // header plain_text
  buttonText: 75,
  url: 3000,
} as const;

const BAND_EMOJI: Record<HealthBand, string> = { red: ":red_circle:", yellow: ":large_yellow_circle:", green: ":large_green_circle:" };

/** Slack's mrkdwn control characters; escaping them also stops <!channel>-style mentions. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Clips an already-escaped string without leaving half an entity (e.g. "&am") at the cut. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max - 1).replace(/&[a-z]*$/, "")}…`;
}

const mrkdwn = (text: string, max: number = SLACK_LIMITS.text) => ({ type: "mrkdwn", text: clip(text, max) });
const plain = (text: string, max: number) => ({ type: "plain_text", text: clip(text, max), emoji: true });

function riskBlock(r: ReviewSummary["topRisks"][number], index: number) {
  const meta = [r.amount === null ? null : formatAmount(r.amount), r.stage ? escapeMrkdwn(singleLine(r.stage)) : null]
    .filter(Boolean)
    .join(" · ");
  const reasons = r.reasons.map((reason) => `• ${escapeMrkdwn(singleLine(reason))}`).join("\n");
  const head = `*${index + 1}. ${escapeMrkdwn(singleLine(r.dealName))}*${meta ? `  ${meta}` : ""}`;
  return { type: "section", text: mrkdwn(reasons ? `${head}\n${reasons}` : head) };
}

export function slackMessageFor(s: ReviewSummary): { text: string; blocks: unknown[] } {
  const delta = healthDelta(s);
  const link = safeLink(s.analysisUrl);
  const score = displayScore(s.healthScore);
  const blocks: unknown[] = [];

  // Header is plain_text: no escaping, Slack renders it literally.
  blocks.push({ type: "header", text: plain(`Pipeline review: ${singleLine(s.scheduleName)}`, SLACK_LIMITS.header) });

  blocks.push({
    type: "section",
    text: mrkdwn(`${BAND_EMOJI[s.band]} *Health ${score}/100* — ${BAND_LABEL[s.band]}${delta ? ` (${delta})` : ""}`),
    fields: [
      ["Deals analyzed", s.dealsAnalyzed],
      ["Issues found", s.issuesFound],
      ["High-risk deals", s.highRiskDeals],
      ["New issues", s.newIssues],
      ["Resolved issues", s.resolvedIssues],
    ]
      .slice(0, SLACK_LIMITS.fields)
      .map(([label, value]) => mrkdwn(`*${label}*\n${value}`, SLACK_LIMITS.field)),
  });

  blocks.push({ type: "divider" });
  const risks = s.topRisks.slice(0, MAX_TOP_RISKS);
  if (risks.length === 0) {
    blocks.push({ type: "section", text: mrkdwn("*Top risks*\nNo high-risk deals this run.") });
  } else {
    blocks.push({ type: "section", text: mrkdwn("*Top risks*") });
    risks.forEach((r, i) => blocks.push(riskBlock(r, i)));
  }

  if (link && link.length <= SLACK_LIMITS.url) {
    blocks.push({
      type: "actions",
      elements: [
        {
          type: "button",
          text: plain("Open the full analysis", SLACK_LIMITS.buttonText),
          url: link,
          action_id: "open_analysis",
          style: "primary",
        },
      ],
    });
  }

  const runAt = new Date(s.runAt);
  // <!date^…> renders in each reader's timezone; the fallback after "|" is what old clients show.
  const when = Number.isNaN(runAt.getTime())
    ? escapeMrkdwn(s.runAt)
    : `<!date^${Math.floor(runAt.getTime() / 1000)}^{date_short_pretty} at {time}|${formatRunAt(s.runAt)}>`;
  blocks.push({ type: "context", elements: [mrkdwn(`Revwatch scheduled review · run ${when}`)] });

  return {
    // Fallback for notifications and clients without blocks.
    text: clip(escapeMrkdwn(subjectFor(s)), SLACK_LIMITS.text),
    blocks: blocks.slice(0, SLACK_LIMITS.blocks),
  };
}
