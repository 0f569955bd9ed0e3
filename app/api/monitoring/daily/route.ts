import { json, readQuery, withAuth } from "@/lib/http";
import { dailyHistory } from "@/lib/retention/daily";
import { dailyQuerySchema } from "@/lib/retention/daily-schemas";

// Runs per day over long windows (up to 730 days), pruned days included through their aggregates.
export const GET = withAuth(async ({ req, tenant }) => json(await dailyHistory(tenant.ownerId, readQuery(req, dailyQuerySchema))));
