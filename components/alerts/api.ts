// Client-side access to the alerts API, parsed with the API's own zod schemas (loaded on the first
// request, not with the page; see components/schedules/api.ts).
import { request } from "@/components/schedules/api";
import type { UpdateAlertSettings } from "@/lib/alerts/schemas";

const contract = () => import("@/lib/alerts/schemas");

export const alertKeys = { list: ["alerts"] as const, settings: ["alert-settings"] as const };
const json = (method: string, body?: unknown): RequestInit => ({ method, headers: { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });

export const fetchAlerts = () => request("/api/alerts", { cache: "no-store" }, async () => (await contract()).alertListSchema).then((r) => r.alerts);

export const updateAlert = (id: string, body: { acknowledged?: true; muted_until?: string | null; status?: "resolved" }) =>
  request(`/api/alerts/${encodeURIComponent(id)}`, json("PATCH", body), async () => (await contract()).alertSchema);

export const saveAlertSettings = (body: UpdateAlertSettings) => request("/api/alerts/settings", json("PUT", body), async () => (await contract()).alertSettingsSchema);

export const sendTestAlert = () => request("/api/alerts/test", { method: "POST" }, async () => (await contract()).testAlertResultSchema);
