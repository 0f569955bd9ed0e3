import type { OperationSpec } from "@/lib/openapi";
import { crmConnectionSchema } from "@/lib/schedules/schemas";
import { authorizeBodySchema, authorizeResultSchema, callbackQuerySchema, callbackResultSchema, connectionOptionsSchema, renameBodySchema, testResultSchema } from "./connect-schemas";

// The CRM connect routes' entries in the OpenAPI document (lib/openapi.ts adds them to OPERATIONS).
// Tokens appear in no schema: the API never returns one.

const connection = { name: "CrmConnection", schema: crmConnectionSchema };
const LABEL = { hubspot: "HubSpot", salesforce: "Salesforce" } as const;

export const CRM_OPERATIONS: OperationSpec[] = [
  ...(["hubspot", "salesforce"] as const).flatMap((p): OperationSpec[] => [
    { method: "post", path: `/api/crm-connections/${p}/authorize`, operationId: `authorize${LABEL[p]}`, tag: "crm", summary: `Start connecting ${LABEL[p]} (OAuth)`,
      description: `A ${LABEL[p]} consent link for the caller, valid 10 minutes and once. ${p === "salesforce" ? "PKCE (S256); `login` picks production, sandbox or the org's My Domain. " : ""}` +
        "With `connection_id` the callback reconnects that connection instead of adding one. 409 crm_not_configured names the env vars the server lacks.",
      body: { name: "CrmAuthorizeRequest", schema: authorizeBodySchema }, errors: ["crm_not_configured", "not_found"], role: "admin",
      responses: { 200: { description: "Send the browser to authorize_url", body: { name: "CrmAuthorizeLink", schema: authorizeResultSchema } } } },
    { method: "get", path: `/api/crm-connections/callback/${p}`, operationId: `${p}CallbackPage`, tag: "crm", summary: `${LABEL[p]} sends the browser back here`, auth: "none",
      description: "The provider's redirect, which arrives from its site and so without the session (Clerk would handshake a cross-site navigation): a well-formed query answers a small HTML page whose script posts it to the POST below, same-origin, with the session.",
      query: callbackQuerySchema, responses: { 200: { description: "text/html: the page that posts the callback back" } } },
    { method: "post", path: `/api/crm-connections/callback/${p}`, operationId: `${p}Callback`, tag: "crm", summary: `Finish connecting ${LABEL[p]}`,
      description: "Checks the state (this tenant's, unexpired, unused), exchanges the code and stores the tokens encrypted. redirect_to is /crm?connected=<id>, or /crm?connect_error=<code> (access_denied, provider_refused, token_exchange_failed, no_refresh_token) when it did not finish; the page shows a fixed message per code.",
      body: { name: "CrmCallback", schema: callbackQuerySchema }, errors: ["oauth_state_invalid"], role: "admin",
      responses: { 200: { description: "Where the browser goes next", body: { name: "CrmCallbackResult", schema: callbackResultSchema } } } },
  ]),
  { method: "patch", path: "/api/crm-connections/{id}", operationId: "renameCrmConnection", role: "admin", tag: "crm", summary: "Rename a CRM connection",
    body: { name: "RenameCrmConnection", schema: renameBodySchema }, responses: { 200: { description: "The connection", body: connection } } },
  { method: "delete", path: "/api/crm-connections/{id}", operationId: "deleteCrmConnection", role: "admin", tag: "crm", summary: "Delete a CRM connection (revokes its token)",
    description: "Refused with 409 connection_in_use while schedules use it (details.schedules lists them). The refresh token is revoked where the provider offers it (best effort).",
    errors: ["connection_in_use", "conflict"], responses: { 204: { description: "Deleted" } } },
  { method: "post", path: "/api/crm-connections/{id}/test", operationId: "testCrmConnection", role: "member", tag: "crm", summary: "Test a CRM connection",
    description: "One authenticated read (refreshing the token if due); the outcome is stored on the connection. A dead authorization marks it expired.",
    responses: { 200: { description: "ok says whether the CRM answered", body: { name: "CrmConnectionTest", schema: testResultSchema } } } },
  { method: "get", path: "/api/crm-connections/{id}/options", operationId: "getCrmConnectionOptions", tag: "crm", summary: "The connection's pipelines, stages and owners (live)",
    description: "What a schedule's scan_scope can name. The Demo CRM is not scopable.",
    errors: ["crm_unreachable"], responses: { 200: { description: "Live lists", body: { name: "CrmConnectionOptions", schema: connectionOptionsSchema } } } },
];
