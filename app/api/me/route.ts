import { json, withAuth } from "@/lib/http";

// Who the API thinks you are: handy for curl users checking a token.
export const GET = withAuth(async ({ tenant }) =>
  json({ owner_id: tenant.ownerId, user_id: tenant.userId, org_id: tenant.orgId, plan: tenant.plan, role: tenant.role }),
);
