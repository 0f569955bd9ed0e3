import { NextResponse } from "next/server";
import { db } from "@/lib/db";

// Unauthenticated liveness + database check for load balancers and the e2e webServer.
export async function GET() {
  try {
    await db().$queryRaw`SELECT 1`;
    return NextResponse.json({ status: "ok", database: "ok" });
  } catch {
    return NextResponse.json({ status: "degraded", database: "unreachable" }, { status: 503 });
  }
}
