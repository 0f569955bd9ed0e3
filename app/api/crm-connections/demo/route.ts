import { connectDemoCrm } from "@/lib/crm/connections";
import { json, withAuth } from "@/lib/http";

// The explicit "use the Demo CRM" action: 201 when it created the connection, 200 when it existed.
export const POST = withAuth(async ({ tenant }) => {
  const { connection, created } = await connectDemoCrm(tenant.ownerId, tenant.userId);
  return json(connection, created ? 201 : 200);
}, { role: "admin" });
