// Review email. Inline styles and system fonts only: mail clients strip <style> and block remote assets.
import {
  Body,
  Button,
  Container,
  Head,
  Heading,
  Hr,
  Html,
  Link,
  Preview,
  Section,
  Text,
  render,
} from "@react-email/components";
import type { CSSProperties } from "react";
import {
  BAND_COLOR,
  BAND_LABEL,
  MAX_TOP_RISKS,
  displayScore,
  formatAmount,
  formatRunAt,
  healthDelta,
  safeLink,
  singleLine,
  subjectFor,
  type ReviewSummary,
} from "@/lib/delivery/summary";

const FONT = "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";

const s = {
  body: { backgroundColor: "#f4f4f5", fontFamily: FONT, margin: 0, padding: "24px 0" },
  container: { backgroundColor: "#ffffff", borderRadius: "8px", maxWidth: "600px", padding: "24px" },
  h1: { color: "#18181b", fontSize: "20px", margin: "0 0 4px" },
  muted: { color: "#71717a", fontSize: "13px", margin: "0 0 16px" },
  score: { fontSize: "40px", fontWeight: 700, lineHeight: "44px", margin: 0 },
  h2: { color: "#18181b", fontSize: "16px", margin: "24px 0 8px" },
  table: { borderCollapse: "collapse", width: "100%" },
  th: {
    borderBottom: "1px solid #e4e4e7",
    color: "#52525b",
    fontSize: "12px",
    padding: "6px 8px",
    textAlign: "left",
  },
  td: { borderBottom: "1px solid #f4f4f5", color: "#27272a", fontSize: "13px", padding: "8px", verticalAlign: "top" },
  countValue: { color: "#18181b", fontSize: "20px", fontWeight: 700, margin: 0 },
  countLabel: { color: "#71717a", fontSize: "12px", margin: 0 },
  button: {
    backgroundColor: "#18181b",
    borderRadius: "6px",
    color: "#ffffff",
    fontSize: "14px",
    fontWeight: 600,
    padding: "12px 20px",
    textDecoration: "none",
  },
} satisfies Record<string, CSSProperties>;

function BandBadge({ band }: { band: ReviewSummary["band"] }) {
  return (
    <span
      style={{
        backgroundColor: BAND_COLOR[band],
        borderRadius: "999px",
        color: "#ffffff",
        display: "inline-block",
        fontSize: "12px",
        fontWeight: 600,
        padding: "2px 10px",
      }}
    >
      {BAND_LABEL[band]}
    </span>
  );
}

function Counts(props: ReviewSummary) {
  const items: [string, number][] = [
    ["Deals analyzed", props.dealsAnalyzed],
    ["Issues found", props.issuesFound],
    ["High-risk deals", props.highRiskDeals],
  ];
  return (
    <table role="presentation" style={s.table}>
      <tbody>
        <tr>
          {items.map(([label, value]) => (
            <td key={label} style={{ padding: "8px 0", width: "33%" }}>
              <p style={s.countValue}>{value}</p>
              <p style={s.countLabel}>{label}</p>
            </td>
          ))}
        </tr>
      </tbody>
    </table>
  );
}

function RiskTable({ risks }: { risks: ReviewSummary["topRisks"] }) {
  if (risks.length === 0) return <Text style={{ ...s.muted, margin: 0 }}>No high-risk deals this run.</Text>;
  return (
    <table role="presentation" style={s.table}>
      <thead>
        <tr>
          <th style={s.th}>Deal</th>
          <th style={{ ...s.th, textAlign: "right" }}>Amount</th>
          <th style={s.th}>Stage</th>
          <th style={s.th}>Why</th>
        </tr>
      </thead>
      <tbody>
        {risks.map((r, i) => (
          <tr key={i}>
            <td style={{ ...s.td, fontWeight: 600 }}>{singleLine(r.dealName)}</td>
            <td style={{ ...s.td, textAlign: "right", whiteSpace: "nowrap" }}>{formatAmount(r.amount)}</td>
            <td style={s.td}>{r.stage ? singleLine(r.stage) : "—"}</td>
            <td style={s.td}>{r.reasons.length > 0 ? r.reasons.map(singleLine).join("; ") : "—"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ReviewEmail(props: ReviewSummary) {
  const delta = healthDelta(props);
  const link = safeLink(props.analysisUrl);
  const risks = props.topRisks.slice(0, MAX_TOP_RISKS);
  const name = singleLine(props.scheduleName);
  return (
    <Html lang="en">
      <Head />
      {/* Inbox preview line: the subject already carries the score, so show what changed. */}
      <Preview>
        {`${props.highRiskDeals} high-risk deals · ${props.newIssues} new issues · ${props.resolvedIssues} resolved`}
      </Preview>
      <Body style={s.body}>
        <Container style={s.container}>
          <Heading as="h1" style={s.h1}>
            Pipeline review: {name}
          </Heading>
          <Text style={s.muted}>Run at {formatRunAt(props.runAt)}</Text>

          <Section>
            <Text style={{ ...s.muted, margin: "0 0 4px" }}>Pipeline health</Text>
            <p style={{ ...s.score, color: BAND_COLOR[props.band] }}>
              {displayScore(props.healthScore)}
              <span style={{ color: "#71717a", fontSize: "16px", fontWeight: 400 }}> / 100</span>
            </p>
            <p style={{ margin: "8px 0 0" }}>
              <BandBadge band={props.band} />
              {delta ? <span style={{ color: "#52525b", fontSize: "13px" }}>&nbsp;&nbsp;{delta} since last run</span> : null}
            </p>
          </Section>

          <Hr style={{ borderColor: "#e4e4e7", margin: "20px 0 8px" }} />
          <Counts {...props} />

          <Heading as="h2" style={s.h2}>
            Issues since last run
          </Heading>
          <Text style={{ color: "#27272a", fontSize: "14px", margin: 0 }}>
            <strong>{props.newIssues}</strong> new · <strong>{props.resolvedIssues}</strong> resolved
          </Text>

          <Heading as="h2" style={s.h2}>
            Top high-risk deals
          </Heading>
          <RiskTable risks={risks} />

          {link ? (
            <Section style={{ marginTop: "24px", textAlign: "center" }}>
              <Button href={link} style={s.button}>
                Open the full analysis
              </Button>
              <Text style={{ ...s.muted, margin: "12px 0 0" }}>
                Or copy this link: <Link href={link}>{link}</Link>
              </Text>
            </Section>
          ) : null}
        </Container>
      </Body>
    </Html>
  );
}

/** Written by hand: converting the HTML flattens the deals table into one unreadable line. */
export function reviewEmailText(s: ReviewSummary): string {
  const delta = healthDelta(s);
  const link = safeLink(s.analysisUrl);
  const risks = s.topRisks.slice(0, MAX_TOP_RISKS);
  const lines = [
    `Pipeline review: ${singleLine(s.scheduleName)}`,
    `Run at ${formatRunAt(s.runAt)}`,
    "",
    `Health: ${displayScore(s.healthScore)}/100 (${BAND_LABEL[s.band]})${delta ? `, ${delta} since last run` : ""}`,
    "",
    `Deals analyzed: ${s.dealsAnalyzed}`,
    `Issues found: ${s.issuesFound}`,
    `High-risk deals: ${s.highRiskDeals}`,
    `Issues since last run: ${s.newIssues} new, ${s.resolvedIssues} resolved`,
    "",
    "Top high-risk deals:",
  ];
  if (risks.length === 0) lines.push("None this run.");
  risks.forEach((r, i) => {
    const meta = [r.amount === null ? null : formatAmount(r.amount), r.stage ? singleLine(r.stage) : null]
      .filter(Boolean)
      .join(", ");
    lines.push(`${i + 1}. ${singleLine(r.dealName)}${meta ? ` (${meta})` : ""}`);
    for (const reason of r.reasons) lines.push(`   - ${singleLine(reason)}`);
  });
  if (link) lines.push("", `Open the full analysis: ${link}`);
  return `${lines.join("\n")}\n`;
}

export async function renderReviewEmail(summary: ReviewSummary): Promise<{ subject: string; html: string; text: string }> {
  const html = await render(<ReviewEmail {...summary} />);
  return { subject: subjectFor(summary), html, text: reviewEmailText(summary) };
}
