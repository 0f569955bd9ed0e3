import { callbackPageRoute, callbackRoute } from "@/lib/crm/route-handlers";

export const GET = callbackPageRoute();
export const POST = callbackRoute("salesforce", { role: "admin" });
