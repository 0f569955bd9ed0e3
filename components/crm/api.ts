// Client-side access to the CRM connection API, parsed with the API's own schemas (loaded on the
// first request, not with the page; see components/schedules/api.ts).
import type { z } from "zod";
import { request, scheduleContract } from "@/components/schedules/api";
import type { connectionOptionsSchema } from "@/lib/crm/connect-schemas";

const contract = () => import("@/lib/crm/connect-schemas");

export type OAuthProvider = "hubspot" | "salesforce";
export type SalesforceLogin = "production" | "sandbox" | "my_domain";

const post = (body: unknown): RequestInit => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const path = (id: string) => `/api/crm-connections/${encodeURIComponent(id)}`;

/** Starts the OAuth flow: the consent page's URL. */
export const authorize = (provider: OAuthProvider, body: { login?: SalesforceLogin; my_domain_url?: string; connection_id?: string }) =>
  request(`/api/crm-connections/${provider}/authorize`, post(body), async () => (await contract()).authorizeResultSchema);

export const testConnection = (id: string) => request(`${path(id)}/test`, { method: "POST" }, async () => (await contract()).testResultSchema);

export const renameConnection = (id: string, name: string) =>
  request(path(id), { method: "PATCH", headers: { "content-type": "application/json" }, body: JSON.stringify({ name }) }, async () => (await scheduleContract()).crmConnectionSchema);

export const deleteConnection = (id: string) => request(path(id), { method: "DELETE" }, null);

export const fetchOptions = (id: string) => request(`${path(id)}/options`, {}, async () => (await contract()).connectionOptionsSchema);
export type ConnectionOptions = z.infer<typeof connectionOptionsSchema>;
