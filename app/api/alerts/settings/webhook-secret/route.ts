import { rotateWebhookSecret } from "@/lib/alerts/settings";
import { json, withAuth } from "@/lib/http";

// A new signing secret for the alert webhooks, shown in this response only.
export const POST = withAuth(async ({ tenant }) => json(await rotateWebhookSecret(tenant.ownerId), 201));
