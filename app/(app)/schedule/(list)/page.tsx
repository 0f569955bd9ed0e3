import { pageOwnerId } from "@/app/(app)/page-glue";
import { listSchedules } from "@/lib/schedules/service";
import { ButtonLink } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/card";
import { ScheduleTable } from "@/components/schedules/schedule-table";
import { UpcomingRuns } from "@/components/schedules/upcoming-runs";
import { upcomingRuns } from "@/lib/schedules/upcoming";
import { UPCOMING_DAYS, UPCOMING_LIMIT } from "@/lib/schedules/upcoming-schemas";

export const metadata = { title: "Scheduled reviews · Revwatch" };

export default async function SchedulePage() {
  const ownerId = await pageOwnerId();
  const [schedules, upcoming] = await Promise.all([
    listSchedules(ownerId),
    upcomingRuns(ownerId, { days: UPCOMING_DAYS, limit: UPCOMING_LIMIT }),
  ]);
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold">Scheduled reviews</h1>
        {schedules.length > 0 && <ButtonLink href="/schedule/new">New schedule</ButtonLink>}
      </div>
      {schedules.length === 0 ? (
        <EmptyState title="No scheduled reviews yet">
          <p>Create a schedule to review your pipeline automatically, e.g. every Monday at 06:00.</p>
          <p className="mt-4">
            <ButtonLink href="/schedule/new">Create your first schedule</ButtonLink>
          </p>
        </EmptyState>
      ) : (
        <>
          <ScheduleTable schedules={schedules} />
          <UpcomingRuns upcoming={upcoming} days={UPCOMING_DAYS} />
        </>
      )}
    </div>
  );
}
