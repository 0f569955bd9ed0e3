import { updateAlertSettingsSchema } from "@/lib/alerts/schemas";
import { getAlertSettings, updateAlertSettings } from "@/lib/alerts/settings";
import { json, readJson, withAuth } from "@/lib/http";

export const GET = withAuth(async ({ tenant }) => json(await getAlertSettings(tenant.ownerId)));

export const PUT = withAuth(async ({ req, tenant }) => json(await updateAlertSettings(tenant.ownerId, await readJson(req, updateAlertSettingsSchema), tenant.userId)), { role: "admin" });
