// Client-side access to the alerts API, parsed with the API's own zod schemas (loaded on the first
// request, not with the page; see components/schedules/api.ts).
import { request } from "@/components/schedules/api";
import type { AlertDto, UpdateAlertSettings } from "@/lib/alerts/schemas";

const contract = () => import("@/lib/alerts/schemas");

export const alertKeys = { list: ["alerts"] as const, settings: ["alert-settings"] as const };
const json = (method: string, body?: unknown): RequestInit => ({ method, headers: { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });

export type AlertPage = { alerts: AlertDto[]; next_cursor: string | null };
export const ALERT_PAGE_SIZE = 25;

/** One page of alerts (open first, newest first); pass the previous page's next_cursor for the next. */
export const fetchAlerts = (cursor: string | null): Promise<AlertPage> =>
  request(`/api/alerts?limit=${ALERT_PAGE_SIZE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, { cache: "no-store" }, async () => (await contract()).alertListSchema);

export const updateAlert = (id: string, body: { acknowledged?: true; muted_until?: string | null; status?: "resolved" }) =>
  request(`/api/alerts/${encodeURIComponent(id)}`, json("PATCH", body), async () => (await contract()).alertSchema);

export const saveAlertSettings = (body: UpdateAlertSettings) => request("/api/alerts/settings", json("PUT", body), async () => (await contract()).alertSettingsSchema);

export const sendTestAlert = () => request("/api/alerts/test", { method: "POST" }, async () => (await contract()).testAlertResultSchema);
