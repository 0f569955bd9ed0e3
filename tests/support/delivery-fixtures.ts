// Shared setup for the delivery integration files: the fake Resend and Slack on loopback, env
// handling, and a schedule with a previous completed run and the run being delivered.
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { encrypt } from "@/lib/crypto";
import { systemDb } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import type { DeliverArgs } from "@/lib/delivery/deliver";
import type { ReviewSummary } from "@/lib/delivery/summary";
import type { Severity } from "@/lib/generated/prisma/enums";
import { resetDb } from "./db";
import { startFakeResend, type FakeResend } from "./fake-resend";
import { startFakeSlack, type FakeSlack } from "./fake-slack";

export const OWNER = "org_delivery";
export const APP_URL = "https://app.revwatch.test";
export const FROM = "Revwatch <reviews@revwatch.test>";
export const RECIPIENTS = ["alice@acme.com", "bob@acme.com", "carol@acme.com"];
export const HOOK_PATH = "/services/T0001/B0001/hooksecret";
export const SUBJECT = "Pipeline review: Weekly EMEA — health 75 (down 4)";
const STARTED_AT = new Date("2026-11-23T08:00:05.000Z");

const savedEnv = { ...process.env };

export function setEnv(vars: Record<string, string | undefined>) {
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else Object.assign(process.env, { [k]: v }); // NODE_ENV is typed read-only
  }
  resetEnvCache();
}

function restoreEnv() {
  for (const k of Object.keys(process.env)) if (!(k in savedEnv)) delete process.env[k];
  Object.assign(process.env, savedEnv);
  resetEnvCache();
}

/** Starts the fakes for the file, and before each test: empty database, fresh fakes, delivery env. */
export function setupDeliveryFakes() {
  const fakes = {} as { resend: FakeResend; slack: FakeSlack };
  beforeAll(async () => {
    fakes.resend = await startFakeResend();
    fakes.slack = await startFakeSlack();
  });
  afterAll(async () => {
    restoreEnv();
    await Promise.all([fakes.resend.close(), fakes.slack.close()]);
  });
  beforeEach(async () => {
    await resetDb();
    fakes.resend.reset();
    fakes.slack.reset();
    setEnv({
      RESEND_API_KEY: fakes.resend.apiKey,
      RESEND_BASE_URL: fakes.resend.url,
      ALLOW_LOOPBACK_DELIVERY: "1",
      APP_URL,
      FROM_EMAIL: FROM,
    });
  });
  afterEach(restoreEnv);
  return fakes;
}

type F = { dealId: string; dealName: string; amount: number | null; stage: string; rule: string; severity: Severity; message: string };
const f = (dealId: string, rule: string, severity: Severity, message: string, amount: number | null = 10_000): F => ({
  dealId,
  dealName: `Deal ${dealId}`,
  amount,
  stage: "Negotiation",
  rule,
  severity,
  message,
});

const PREVIOUS_FINDINGS = [
  f("d1", "stale", "MEDIUM", "No activity in 20 days", 120_000),
  f("d2", "no_owner", "MEDIUM", "No owner"),
  f("d3", "past_close_date", "HIGH", "Close date passed"),
];
// Against the previous run: new = d1/past_close_date, d4/no_next_step, d5/close_date_pushed, d5/stale;
// resolved = d2/no_owner, d3/past_close_date. High risk: d1 (0.75) then d5 (0.5); d4 (0.1) is not.
const CURRENT_FINDINGS = [
  f("d1", "stale", "MEDIUM", "No activity in 21 days", 120_000),
  f("d1", "past_close_date", "HIGH", "Close date passed 3 days ago", 120_000),
  f("d4", "no_next_step", "LOW", "No next step"),
  f("d5", "close_date_pushed", "MEDIUM", "Close date pushed 2 times", 50_000),
  f("d5", "stale", "MEDIUM", "No activity in 15 days", 50_000),
];

async function createRun(scheduleId: string, opts: { slot: string; status: "RUNNING" | "COMPLETED"; health: number; findings: F[] }) {
  const analysis = await systemDb().analysis.create({
    data: {
      ownerId: OWNER,
      scheduledReviewId: scheduleId,
      dealsAnalyzed: 42,
      healthScore: opts.health,
      issuesFound: opts.findings.length,
      highRiskDeals: 2,
      findings: { create: opts.findings },
    },
  });
  return systemDb().reviewRun.create({
    data: {
      ownerId: OWNER,
      scheduledReviewId: scheduleId,
      trigger: "SCHEDULED",
      scheduledFor: new Date(opts.slot),
      status: opts.status,
      startedAt: opts.status === "RUNNING" ? STARTED_AT : new Date(opts.slot),
      healthScore: opts.health,
      analysisId: analysis.id,
    },
  });
}

/** A schedule with a previous completed run (health 79) and the run being delivered (health 75). */
export async function seedRun(
  slack: FakeSlack,
  opts: { recipients?: string[]; webhook?: string | null; firstRun?: boolean } = {},
) {
  const connection = await systemDb().crmConnection.create({ data: { ownerId: OWNER, provider: "DEMO", name: "Demo CRM" } });
  const webhook = opts.webhook === undefined ? slack.webhookUrl(HOOK_PATH) : opts.webhook;
  const schedule = await systemDb().scheduledReview.create({
    data: {
      ownerId: OWNER,
      name: "Weekly EMEA",
      crmConnectionId: connection.id,
      cron: "0 8 * * 1",
      timezone: "UTC",
      deliveryChannels: ["EMAIL", "SLACK"],
      emailRecipients: opts.recipients ?? RECIPIENTS,
      slackWebhookEncrypted: webhook ? encrypt(webhook) : null,
    },
  });
  if (!opts.firstRun) {
    await createRun(schedule.id, { slot: "2026-11-16T08:00:00.000Z", status: "COMPLETED", health: 79, findings: PREVIOUS_FINDINGS });
  }
  return createRun(schedule.id, { slot: "2026-11-23T08:00:00.000Z", status: "RUNNING", health: 75, findings: CURRENT_FINDINGS });
}

/** What buildSummary must produce for seedRun's run, written out by hand. */
export function expectedSummary(analysisId: string): ReviewSummary {
  return {
    scheduleName: "Weekly EMEA",
    healthScore: 75,
    previousHealthScore: 79,
    band: "yellow",
    dealsAnalyzed: 42,
    issuesFound: 5,
    highRiskDeals: 2,
    newIssues: 4,
    resolvedIssues: 2,
    topRisks: [
      { dealName: "Deal d1", amount: 120_000, stage: "Negotiation", reasons: ["Close date passed 3 days ago", "No activity in 21 days"] },
      { dealName: "Deal d5", amount: 50_000, stage: "Negotiation", reasons: ["Close date pushed 2 times", "No activity in 15 days"] },
    ],
    analysisUrl: `${APP_URL}/analysis/${analysisId}`,
    runAt: STARTED_AT.toISOString(),
  };
}

export const deliverArgs = (runId: string, over: Partial<DeliverArgs> = {}): DeliverArgs => ({
  runId,
  channel: "EMAIL",
  inngestRunId: "inngest-run-1",
  attempt: 0,
  maxAttempts: 3,
  ...over,
});

export const deliveryRow = (id: string) => systemDb().delivery.findUniqueOrThrow({ where: { id } });
