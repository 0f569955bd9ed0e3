// Client-side access to the monitors API, parsed with the API's own zod schemas.
import { request } from "@/components/schedules/api";
import { createdMonitorSchema, monitorListSchema, monitorSchema, type CreateMonitor, type UpdateMonitor } from "@/lib/monitors/schemas";

export const monitorKeys = { list: ["monitors"] as const };
const json = (method: string, body: unknown): RequestInit => ({ method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

export const fetchMonitors = () => request("/api/monitors", { cache: "no-store" }, monitorListSchema).then((r) => r.monitors);
export const createMonitor = (body: CreateMonitor) => request("/api/monitors", json("POST", body), createdMonitorSchema);
export const updateMonitor = (id: string, body: UpdateMonitor) => request(`/api/monitors/${encodeURIComponent(id)}`, json("PATCH", body), monitorSchema);
export const deleteMonitor = (id: string) => request(`/api/monitors/${encodeURIComponent(id)}`, { method: "DELETE" }, null);
