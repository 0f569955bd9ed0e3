// Client-side access to the monitors API, parsed with the API's own zod schemas (loaded on the first
// request, not with the page; see components/schedules/api.ts).
import { request } from "@/components/schedules/api";
import type { CreateMonitor, MonitorDto, UpdateMonitor } from "@/lib/monitors/schemas";

const contract = () => import("@/lib/monitors/schemas");

export const monitorKeys = { list: ["monitors"] as const };
const json = (method: string, body: unknown): RequestInit => ({ method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

export type MonitorPage = { monitors: MonitorDto[]; next_cursor: string | null };
export const MONITOR_PAGE_SIZE = 50;
export const fetchMonitors = (cursor: string | null): Promise<MonitorPage> =>
  request(`/api/monitors?limit=${MONITOR_PAGE_SIZE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, { cache: "no-store" }, async () => (await contract()).monitorListSchema);
export const createMonitor = (body: CreateMonitor) => request("/api/monitors", json("POST", body), async () => (await contract()).createdMonitorSchema);
export const updateMonitor = (id: string, body: UpdateMonitor) => request(`/api/monitors/${encodeURIComponent(id)}`, json("PATCH", body), async () => (await contract()).monitorSchema);
export const deleteMonitor = (id: string) => request(`/api/monitors/${encodeURIComponent(id)}`, { method: "DELETE" }, null);
