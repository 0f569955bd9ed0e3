import { callbackPageRoute, callbackRoute } from "@/lib/crm/route-handlers";

export const GET = callbackPageRoute("hubspot");
export const POST = callbackRoute("hubspot");
