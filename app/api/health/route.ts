import { NextResponse } from "next/server";
import { systemDb } from "@/lib/db";
import { executorHealth } from "@/lib/executor";
import { TZDB } from "@/lib/tz/zones";

// Unauthenticated liveness + database check for load balancers and the e2e webServer; also says
// which Inngest executor serves the app (an unreachable executor does not make the app unhealthy)
// and which IANA tz database release the schedules run on.
export async function GET() {
  const executor = await executorHealth();
  const tz_database = { version: TZDB.version, source: TZDB.source };
  try {
    await systemDb().$queryRaw`SELECT 1`;
    return NextResponse.json({ status: "ok", database: "ok", executor, tz_database });
  } catch {
    return NextResponse.json({ status: "degraded", database: "unreachable", executor, tz_database }, { status: 503 });
  }
}
