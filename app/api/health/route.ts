import { NextResponse } from "next/server";
import { systemDb } from "@/lib/db";
import { executorHealth } from "@/lib/executor";

// Unauthenticated liveness + database check for load balancers and the e2e webServer; also says
// which Inngest executor serves the app (an unreachable executor does not make the app unhealthy).
export async function GET() {
  const executor = await executorHealth();
  try {
    await systemDb().$queryRaw`SELECT 1`;
    return NextResponse.json({ status: "ok", database: "ok", executor });
  } catch {
    return NextResponse.json({ status: "degraded", database: "unreachable", executor }, { status: 503 });
  }
}
