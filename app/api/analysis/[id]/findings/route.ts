import { json, readQuery, withAuth } from "@/lib/http";
import { findingPageQuerySchema } from "@/lib/runs/analysis-schemas";
import { listFindings } from "@/lib/runs/findings-page";

// Every finding of an analysis, by deal then rule; ?cursor= pages (next_cursor of the previous page).
export const GET = withAuth<{ id: string }>(async ({ req, tenant, params }) =>
  json(await listFindings(tenant.ownerId, params.id, readQuery(req, findingPageQuerySchema))),
);
