// Client-side access to the monitors API, parsed with the API's own zod schemas (loaded on the first
// request, not with the page; see components/schedules/api.ts).
import { request } from "@/components/schedules/api";
import type { CreateMonitor, UpdateMonitor } from "@/lib/monitors/schemas";

const contract = () => import("@/lib/monitors/schemas");

export const monitorKeys = { list: ["monitors"] as const };
const json = (method: string, body: unknown): RequestInit => ({ method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

export const fetchMonitors = () => request("/api/monitors", { cache: "no-store" }, async () => (await contract()).monitorListSchema).then((r) => r.monitors);
export const createMonitor = (body: CreateMonitor) => request("/api/monitors", json("POST", body), async () => (await contract()).createdMonitorSchema);
export const updateMonitor = (id: string, body: UpdateMonitor) => request(`/api/monitors/${encodeURIComponent(id)}`, json("PATCH", body), async () => (await contract()).monitorSchema);
export const deleteMonitor = (id: string) => request(`/api/monitors/${encodeURIComponent(id)}`, { method: "DELETE" }, null);
