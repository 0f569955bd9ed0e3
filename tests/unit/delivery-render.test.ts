import { describe, expect, it } from "vitest";
import { renderReviewEmail } from "@/lib/delivery/email-template";
import { SLACK_LIMITS, clip, escapeMrkdwn, slackMessageFor } from "@/lib/delivery/slack-blocks";
import { subjectFor, type ReviewSummary } from "@/lib/delivery/summary";

function summary(over: Partial<ReviewSummary> = {}): ReviewSummary {
  return {
    scheduleName: "Weekly EMEA",
    healthScore: 75,
    previousHealthScore: 79,
    band: "yellow",
    dealsAnalyzed: 42,
    issuesFound: 17,
    highRiskDeals: 6,
    newIssues: 5,
    resolvedIssues: 3,
    topRisks: [
      { dealName: "Acme Corp renewal", amount: 120000, stage: "Negotiation", reasons: ["No activity in 21 days", "Close date slipped twice"] },
      { dealName: "Globex expansion", amount: null, stage: null, reasons: [] },
      { dealName: "Initech", amount: 5000, stage: "Discovery", reasons: ["Missing champion"] },
      { dealName: "Umbrella", amount: 99000, stage: "Proposal", reasons: ["Amount dropped 40%"] },
      { dealName: "Hooli", amount: 7000, stage: "Qualification", reasons: ["Stuck in stage"] },
      { dealName: "Sixth deal not shown", amount: 1, stage: "X", reasons: ["ignored"] },
    ],
    analysisUrl: "https://app.revwatch.test/analyses/run_123",
    runAt: "2026-11-23T08:00:00.000Z",
    ...over,
  };
}

describe("subjectFor", () => {
  it("shows a drop", () => {
    expect(subjectFor(summary())).toBe("Pipeline review: Weekly EMEA — health 75 (down 4)");
  });
  it("shows a rise", () => {
    expect(subjectFor(summary({ healthScore: 82, previousHealthScore: 79 }))).toBe(
      "Pipeline review: Weekly EMEA — health 82 (up 3)",
    );
  });
  it("shows no change", () => {
    expect(subjectFor(summary({ previousHealthScore: 75 }))).toBe("Pipeline review: Weekly EMEA — health 75 (no change)");
  });
  it("omits the parenthesis on a first run", () => {
    expect(subjectFor(summary({ previousHealthScore: null }))).toBe("Pipeline review: Weekly EMEA — health 75");
  });
  it("rounds and computes the delta on the shown numbers", () => {
    expect(subjectFor(summary({ healthScore: 74.6, previousHealthScore: 74.4 }))).toBe(
      "Pipeline review: Weekly EMEA — health 75 (up 1)",
    );
  });
  it("keeps a user-typed name on one line", () => {
    expect(subjectFor(summary({ scheduleName: "Evil\r\nBcc: x@y.z" }))).toBe(
      "Pipeline review: Evil Bcc: x@y.z — health 75 (down 4)",
    );
  });
});

describe("renderReviewEmail", () => {
  it("renders subject, score, band text and colour, counts, deals and the link", async () => {
    const { subject, html } = await renderReviewEmail(summary());
    expect(subject).toBe(subjectFor(summary()));
    expect(html).toMatch(/^<!DOCTYPE html/i);
    expect(html).toContain(">75<");
    expect(html).toContain("Yellow — needs attention");
    expect(html).toContain("#ca8a04");
    expect(html).toContain("down 4");
    for (const name of ["Acme Corp renewal", "Globex expansion", "Initech", "Umbrella", "Hooli"]) {
      expect(html).toContain(name);
    }
    expect(html).not.toContain("Sixth deal not shown");
    expect(html).toContain("$120,000");
    expect(html).toContain("No activity in 21 days");
    expect(html).toContain('href="https://app.revwatch.test/analyses/run_123"');
    expect(html).toContain("42");
    expect(html).toContain("Deals analyzed");
    // No external assets or <style> blocks.
    expect(html).not.toMatch(/<img|<link[^>]+stylesheet|@import|<style/i);
  });

  it("produces a readable text version", async () => {
    const { text } = await renderReviewEmail(summary());
    expect(text).toContain("Pipeline review: Weekly EMEA");
    expect(text).toContain("75");
    expect(text).toContain("Yellow — needs attention");
    expect(text).toContain("Acme Corp renewal");
    expect(text).toContain("https://app.revwatch.test/analyses/run_123");
    expect(text).not.toContain("<");
  });

  it("escapes HTML in user data and drops non-http links", async () => {
    const { html } = await renderReviewEmail(
      summary({
        scheduleName: "<script>alert(1)</script>",
        topRisks: [{ dealName: "<b>bold</b>", amount: 1, stage: null, reasons: [] }],
        analysisUrl: "javascript:alert(1)",
      }),
    );
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).toContain("&lt;script&gt;");
    expect(html).not.toContain("<b>bold</b>");
    expect(html).not.toContain("javascript:");
  });

  it("handles an empty risk list and a first run", async () => {
    const { html } = await renderReviewEmail(summary({ topRisks: [], previousHealthScore: null, band: "green" }));
    expect(html).toContain("No high-risk deals this run.");
    expect(html).toContain("Green — healthy");
    expect(html).not.toContain("since last run</span>");
  });
});

type Block = { type: string; text?: { type: string; text: string }; fields?: { text: string }[]; elements?: Record<string, unknown>[] };

function allTexts(blocks: Block[]): string[] {
  return blocks.flatMap((b) => [
    ...(b.text ? [b.text.text] : []),
    ...(b.fields ?? []).map((f) => f.text),
    ...(b.elements ?? []).flatMap((e) => (typeof e.text === "string" ? [e.text] : [])),
  ]);
}

describe("slackMessageFor", () => {
  it("builds header, fields, five risks, a link button and context", () => {
    const msg = slackMessageFor(summary());
    const blocks = msg.blocks as Block[];
    expect(msg.text).toBe(subjectFor(summary()));
    expect(blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
    expect(blocks[0]).toMatchObject({ type: "header", text: { type: "plain_text", text: "Pipeline review: Weekly EMEA" } });
    expect(blocks[1].text?.text).toContain("*Health 75/100*");
    expect(blocks[1].text?.text).toContain("Yellow — needs attention (down 4)");
    expect(blocks[1].fields?.map((f) => f.text)).toContain("*Deals analyzed*\n42");
    const texts = allTexts(blocks).join("\n");
    for (const name of ["Acme Corp renewal", "Globex expansion", "Initech", "Umbrella", "Hooli"]) expect(texts).toContain(name);
    expect(texts).not.toContain("Sixth deal not shown");
    const actions = blocks.find((b) => b.type === "actions");
    expect(actions?.elements?.[0]).toMatchObject({ type: "button", url: "https://app.revwatch.test/analyses/run_123" });
    const context = blocks.at(-1);
    expect(context?.type).toBe("context");
    expect(String(context?.elements?.[0]?.text)).toMatch(/<!date\^\d+\^/);
    for (const b of blocks) expect(["header", "section", "divider", "actions", "context"]).toContain(b.type);
  });

  it("escapes &, < and > in mrkdwn and the fallback text", () => {
    const msg = slackMessageFor(
      summary({
        scheduleName: "R&D <!channel>",
        topRisks: [{ dealName: "A&B <@U123>", amount: 1, stage: "x > y", reasons: ["<https://evil|click>"] }],
      }),
    );
    const blocks = msg.blocks as Block[];
    expect(msg.text).toContain("R&amp;D &lt;!channel&gt;");
    const mrkdwnTexts = allTexts(blocks.filter((b) => b.type !== "header"));
    const risk = mrkdwnTexts.find((t) => t.includes("A&amp;B"));
    expect(risk).toContain("A&amp;B &lt;@U123&gt;");
    expect(risk).toContain("x &gt; y");
    expect(risk).toContain("&lt;https://evil|click&gt;");
    for (const t of mrkdwnTexts) expect(t.replace(/<!date\^[^>]+>/g, "")).not.toMatch(/[<>]/);
    // Header is plain_text: Slack shows it verbatim, so it must not be escaped.
    expect(blocks[0].text?.text).toBe("Pipeline review: R&D <!channel>");
  });

  it("respects text limits on huge input and omits a non-http button", () => {
    const long = "x&".repeat(5000);
    const msg = slackMessageFor(
      summary({
        scheduleName: long,
        topRisks: [{ dealName: long, amount: null, stage: long, reasons: [long, long] }],
        analysisUrl: "javascript:alert(1)",
      }),
    );
    const blocks = msg.blocks as Block[];
    expect(msg.text.length).toBeLessThanOrEqual(SLACK_LIMITS.text);
    expect(blocks[0].text?.text.length).toBeLessThanOrEqual(SLACK_LIMITS.header);
    for (const t of allTexts(blocks)) {
      expect(t.length).toBeLessThanOrEqual(SLACK_LIMITS.text);
      expect(t).not.toMatch(/&(a|am|amp)?…/); // no half entity at a cut
    }
    expect(blocks.some((b) => b.type === "actions")).toBe(false);
  });

  it("escape and clip helpers", () => {
    expect(escapeMrkdwn("a & <b>")).toBe("a &amp; &lt;b&gt;");
    expect(clip("abc", 3)).toBe("abc");
    expect(clip("ab&amp;cd", 5)).toBe("ab…");
  });
});
