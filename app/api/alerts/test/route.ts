import { sendTestAlert } from "@/lib/alerts/alerts";
import { json, withAuth } from "@/lib/http";

// Sends a test alert to every configured channel now; the answer has each channel's outcome.
export const POST = withAuth(async ({ tenant }) => json(await sendTestAlert(tenant.ownerId)), { role: "admin" });
