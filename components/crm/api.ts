// Client-side access to the CRM connection API, parsed with the API's own schemas.
import { z } from "zod";
import { request } from "@/components/schedules/api";
import { authorizeResultSchema, connectionOptionsSchema, testResultSchema } from "@/lib/crm/connect-schemas";
import { crmConnectionSchema } from "@/lib/schedules/schemas";

export type OAuthProvider = "hubspot" | "salesforce";
export type SalesforceLogin = "production" | "sandbox" | "my_domain";

const post = (body: unknown): RequestInit => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const path = (id: string) => `/api/crm-connections/${encodeURIComponent(id)}`;

/** Starts the OAuth flow: the consent page's URL. */
export const authorize = (provider: OAuthProvider, body: { login?: SalesforceLogin; my_domain_url?: string; connection_id?: string }) =>
  request(`/api/crm-connections/${provider}/authorize`, post(body), authorizeResultSchema);

export const testConnection = (id: string) => request(`${path(id)}/test`, { method: "POST" }, testResultSchema);

export const renameConnection = (id: string, name: string) =>
  request(path(id), { method: "PATCH", headers: { "content-type": "application/json" }, body: JSON.stringify({ name }) }, crmConnectionSchema);

export const deleteConnection = (id: string) => request(path(id), { method: "DELETE" }, null);

export const fetchOptions = (id: string) => request(`${path(id)}/options`, {}, connectionOptionsSchema);
export type ConnectionOptions = z.infer<typeof connectionOptionsSchema>;
