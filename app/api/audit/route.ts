import { listAudit } from "@/lib/audit/queries";
import { auditListQuerySchema } from "@/lib/audit/schemas";
import { json, readQuery, withAuth } from "@/lib/http";

// The workspace's audit trail, newest first (cursor paging); ?schedule_id= narrows it to one schedule.
export const GET = withAuth(async ({ req, tenant }) => json(await listAudit(tenant.ownerId, readQuery(req, auditListQuerySchema))));
