import { json, withAuth } from "@/lib/http";
import { getSchedulerStatus } from "@/lib/scheduler/status";

export const GET = withAuth(async ({ tenant }) => json(await getSchedulerStatus(tenant.ownerId)));
