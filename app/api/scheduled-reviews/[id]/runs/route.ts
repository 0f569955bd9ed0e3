import { json, readQuery, withAuth } from "@/lib/http";
import { listRuns } from "@/lib/runs/queries";
import { runListQuerySchema } from "@/lib/runs/schemas";

// A schedule's runs, newest first; ?status= filters, ?cursor= pages (next_cursor of the previous page).
export const GET = withAuth<{ id: string }>(async ({ req, tenant, params }) =>
  json(await listRuns(tenant.ownerId, params.id, readQuery(req, runListQuerySchema))),
);
