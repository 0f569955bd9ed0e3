import { json, readQuery, withAuth } from "@/lib/http";
import { computeCoverage } from "@/lib/monitoring/coverage";
import { coverageRangeSchema } from "@/lib/monitoring/schemas";

export const GET = withAuth(async ({ req, tenant }) => json((await computeCoverage(tenant.ownerId, readQuery(req, coverageRangeSchema))).dto));
