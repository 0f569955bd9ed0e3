import { z } from "zod";
import { crmConnectionSchema } from "@/lib/schedules/schemas";

// The CRM connection API's contract (snake_case), shared by the route handlers and lib/openapi.ts.

const connectionName = z.string().trim().min(1).max(100);

export const authorizeBodySchema = z.strictObject({
  /** Salesforce only: which login host (production, sandbox, or the org's My Domain) */
  login: z.enum(["production", "sandbox", "my_domain"]).optional(),
  my_domain_url: z.string().max(200).optional().describe("https://<domain>.my.salesforce.com, with login my_domain"),
  /** Reconnect this connection (same provider) instead of adding one */
  connection_id: z.string().max(64).optional(),
  name: connectionName.optional(),
});
export type AuthorizeBody = z.infer<typeof authorizeBodySchema>;

export const authorizeResultSchema = z.object({
  authorize_url: z.string().describe("Send the browser here; the provider returns it to the callback"),
  expires_at: z.string().describe("The link's state stops working at this time"),
});

export const callbackQuerySchema = z.strictObject({
  state: z.string().min(1).max(4096),
  code: z.string().min(1).max(4096).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(2000).optional(),
  // Salesforce and HubSpot add these; they carry nothing the flow needs.
  sfdc_community_url: z.string().max(2000).optional(),
  sfdc_community_id: z.string().max(200).optional(),
});
export type CallbackQuery = z.infer<typeof callbackQuerySchema>;
export const callbackResultSchema = z.object({ redirect_to: z.string().describe("/crm?connected=<id>, or /crm?connect_error=<code> (access_denied, provider_refused, token_exchange_failed, no_refresh_token)") });

export const renameBodySchema = z.strictObject({ name: connectionName });

export const testResultSchema = z.object({
  ok: z.boolean(),
  message: z.string(),
  open_deals: z.number().int().nullable(),
  connection: crmConnectionSchema,
});
export type TestResultDto = z.infer<typeof testResultSchema>;

const option = z.object({ id: z.string(), label: z.string() });
export const connectionOptionsSchema = z.object({
  scopable: z.boolean().describe("false for the Demo CRM: its runs read every open deal"),
  pipelines: z.array(option.extend({ stages: z.array(option) })),
  stages: z.array(option.extend({ pipeline_id: z.string().nullable() })),
  owners: z.array(option),
});
export type ConnectionOptionsDto = z.infer<typeof connectionOptionsSchema>;

export const connectionInUseDetailsSchema = z.object({ schedules: z.array(z.object({ id: z.string(), name: z.string() })) });
