import { json, readQuery, withAuth } from "@/lib/http";
import { upcomingRuns } from "@/lib/schedules/upcoming";
import { upcomingQuerySchema } from "@/lib/schedules/upcoming-schemas";

export const GET = withAuth(async ({ req, tenant }) => json(await upcomingRuns(tenant.ownerId, readQuery(req, upcomingQuerySchema))));
