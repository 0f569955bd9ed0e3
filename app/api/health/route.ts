import { NextResponse } from "next/server";
import { functions } from "@/inngest";
import { inngest } from "@/inngest/client";
import { systemDb } from "@/lib/db";
import { executorHealth } from "@/lib/executor";
import { json, readQuery, withAuth } from "@/lib/http";
import { doctorReport } from "@/lib/monitoring/doctor-probes";
import { healthQuerySchema } from "@/lib/monitoring/doctor-schemas";
import { TZDB } from "@/lib/tz/zones";

// Unauthenticated liveness + database check for load balancers and the e2e webServer; also says
// which Inngest executor serves the app (an unreachable executor does not make the app unhealthy)
// and which IANA tz database release the schedules run on.
// ?detail=1: npm run doctor's checks for operators, behind a session; backlog and coverage are the
// caller's workspace's (the platform-wide figures are the script's).
export async function GET(req: Request) {
  if (new URL(req.url).searchParams.has("detail")) return detail(req, { params: Promise.resolve({}) });
  const executor = await executorHealth();
  const tz_database = { version: TZDB.version, source: TZDB.source };
  try {
    await systemDb().$queryRaw`SELECT 1`;
    return NextResponse.json({ status: "ok", database: "ok", executor, tz_database });
  } catch {
    return NextResponse.json({ status: "degraded", database: "unreachable", executor, tz_database }, { status: 503 });
  }
}

const detail = withAuth(async ({ req, tenant }) => {
  readQuery(req, healthQuerySchema);
  const report = await doctorReport({
    ownerId: tenant.ownerId,
    expectedFunctions: functions.map((f) => f.id(inngest.id)),
  });
  return json(report);
});
