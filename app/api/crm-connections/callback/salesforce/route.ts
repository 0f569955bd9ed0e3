import { callbackRoute } from "@/lib/crm/route-handlers";

export const GET = callbackRoute("salesforce");
