import { json, readQuery, withAuth } from "@/lib/http";
import { previewQuerySchema } from "@/lib/schedules/schemas";
import { previewSchedule } from "@/lib/schedules/service";

// The schedule form's live preview; reads nothing from the database.
export const GET = withAuth(async ({ req }) => json(previewSchedule(readQuery(req, previewQuerySchema))));
