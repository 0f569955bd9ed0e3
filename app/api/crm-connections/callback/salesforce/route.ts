import { callbackPageRoute, callbackRoute } from "@/lib/crm/route-handlers";

export const GET = callbackPageRoute("salesforce");
export const POST = callbackRoute("salesforce");
