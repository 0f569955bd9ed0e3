import { authorizeRoute } from "@/lib/crm/route-handlers";

export const POST = authorizeRoute("hubspot", { role: "admin" });
