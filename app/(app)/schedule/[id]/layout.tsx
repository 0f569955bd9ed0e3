import type { ReactNode } from "react";
import { requireFound } from "@/app/(app)/page-glue";
import { getSchedule } from "@/lib/schedules/service";

// The schedule (for its page and its history) must exist for this tenant before the loading boundary below streams: a real 404 otherwise.
export default async function ScheduleLayout({ children, params }: { children: ReactNode; params: Promise<{ id: string }> }) {
  await requireFound(getSchedule, params);
  return children;
}
