// Client-side access to /api/workspace, parsed with the API's own zod schema (loaded on the first
// request, not with the page; see components/schedules/api.ts).
import { request } from "@/components/schedules/api";

const contract = () => import("@/lib/workspace/schemas");

export const saveRunRetention = (days: number) =>
  request("/api/workspace", { method: "PATCH", headers: { "content-type": "application/json" }, body: JSON.stringify({ run_retention_days: days }) },
    async () => (await contract()).workspaceSchema);
