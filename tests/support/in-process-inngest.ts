// The app's real Inngest functions driven in-process by the local executor (scripts/local-executor): it calls the route
// module's POST/PUT with a Request, and the app's client sends its events (step.sendEvent) to the
// double's own port. Call startInProcessInngest() before anything imports "@/inngest/client".
import { NextRequest } from "next/server";
import { afterAll, beforeAll } from "vitest";
import { systemDb } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import type { CatchUpPolicy, DeliveryChannel } from "@/lib/generated/prisma/client";
import { LocalExecutor, type LocalExecutorOptions } from "@/scripts/local-executor/executor";

export const SERVE_URL = "http://app.test/api/inngest";
export const FN = {
  dispatch: "revwatch-dispatch-due-reviews",
  review: "revwatch-run-review",
  reviewFailure: "revwatch-run-review-failure",
} as const;

/** One double per test file: started before its tests, closed after them. */
export function inProcessInngestForFile(opts: LocalExecutorOptions = {}): { readonly fake: LocalExecutor } {
  const ctx = {} as { fake: LocalExecutor };
  beforeAll(async () => {
    ctx.fake = await startInProcessInngest(opts);
  });
  afterAll(async () => {
    await ctx.fake?.close();
  });
  return ctx;
}

export async function startInProcessInngest(opts: LocalExecutorOptions = {}) {
  const app: { route?: typeof import("@/app/api/inngest/route") } = {};
  const fake = new LocalExecutor({
    autoRun: true,
    // Retries at once, not after Inngest's 15 s+ backoff: tests never wait on it.
    backoffScale: 0,
    fetcher: (url, init) => {
      const route = app.route;
      if (!route) throw new Error("route module not loaded yet");
      const handler = init.method === "PUT" ? route.PUT : init.method === "GET" ? route.GET : route.POST;
      return handler(new NextRequest(url, init as ConstructorParameters<typeof NextRequest>[1]), undefined);
    },
    ...opts,
  });
  await fake.listen(0);
  // The SDK reads these when the client is created, i.e. on the first import below.
  process.env.INNGEST_DEV = "1";
  process.env.INNGEST_BASE_URL = fake.url;
  process.env.DEMO_CRM_FAULTS = "1";
  resetEnvCache();
  app.route = await import("@/app/api/inngest/route");
  await fake.sync(SERVE_URL);
  return fake;
}

export type DemoScheduleOptions = {
  ownerId?: string;
  instanceUrl?: string;
  provider?: "DEMO" | "HUBSPOT";
  cron?: string;
  timezone?: string;
  nextRunAt?: Date | null;
  isActive?: boolean;
  catchUpPolicy?: CatchUpPolicy;
  deliveryChannels?: DeliveryChannel[];
  emailRecipients?: string[];
};

/** A schedule on its own Demo CRM connection, written straight to the database. */
export async function createSchedule(o: DemoScheduleOptions = {}) {
  const ownerId = o.ownerId ?? "org_reviews";
  const connection = await systemDb().crmConnection.create({
    data: { ownerId, provider: o.provider ?? "DEMO", name: "CRM", instanceUrl: o.instanceUrl ?? "demo://?seed=42&size=120" },
  });
  return systemDb().scheduledReview.create({
    data: {
      ownerId,
      name: "Weekly pipeline review",
      crmConnectionId: connection.id,
      cron: o.cron ?? "0 6 * * *",
      timezone: o.timezone ?? "UTC",
      nextRunAt: o.nextRunAt === undefined ? new Date(Date.now() - 30_000) : o.nextRunAt,
      isActive: o.isActive ?? true,
      catchUpPolicy: o.catchUpPolicy ?? "RUN_ONCE",
      deliveryChannels: o.deliveryChannels ?? [],
      emailRecipients: o.emailRecipients ?? [],
    },
  });
}

/** A run of the schedule, e.g. queued by hand, to start a review directly with its event. */
export function createRun(schedule: { id: string; ownerId: string }, scheduledFor = new Date()) {
  return systemDb().reviewRun.create({
    data: { scheduledReviewId: schedule.id, ownerId: schedule.ownerId, trigger: "MANUAL", scheduledFor, queuedAt: scheduledFor },
  });
}

export const requestedEvent = (run: { id: string; scheduledReviewId: string; ownerId: string }) => ({
  id: run.id,
  name: "review/run.requested",
  data: { runId: run.id, scheduleId: run.scheduledReviewId, ownerId: run.ownerId },
});
