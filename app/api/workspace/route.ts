import { json, readJson, withAuth } from "@/lib/http";
import { updateWorkspaceSchema } from "@/lib/workspace/schemas";
import { getWorkspace, updateWorkspace } from "@/lib/workspace/settings";

// The workspace's plan limits, usage and retention; admins change the retention.
export const GET = withAuth(async ({ tenant }) => json(await getWorkspace(tenant)));

export const PATCH = withAuth(async ({ req, tenant }) => json(await updateWorkspace(tenant, await readJson(req, updateWorkspaceSchema))), { role: "admin" });
