import { pageTenant } from "@/app/(app)/page-glue";
import { describeLimits } from "@/lib/plans";
import { getWorkspace } from "@/lib/workspace/settings";
import { AdminOnly } from "@/components/schedules/role-gate";
import { listSchedules } from "@/lib/schedules/service";
import { ButtonLink } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/card";
import { ScheduleTable } from "@/components/schedules/schedule-table";
import { UpcomingRuns } from "@/components/schedules/upcoming-runs";
import { upcomingRuns } from "@/lib/schedules/upcoming";
import { UPCOMING_DAYS, UPCOMING_LIMIT } from "@/lib/schedules/upcoming-schemas";

export const metadata = { title: "Scheduled reviews · Revwatch" };

export default async function SchedulePage() {
  const tenant = await pageTenant();
  const { ownerId, role } = tenant;
  const [schedules, upcoming, workspace] = await Promise.all([
    listSchedules(ownerId),
    upcomingRuns(ownerId, { days: UPCOMING_DAYS, limit: UPCOMING_LIMIT }),
    getWorkspace(tenant),
  ]);
  const newButton = (label: string) => (
    <AdminOnly role={role} label={label}><ButtonLink href="/schedule/new">{label}</ButtonLink></AdminOnly>
  );
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">Scheduled reviews</h1>
          <p className="text-sm text-slate-600" data-testid="plan-limits">
            {workspace.usage.schedules} of {workspace.limits.max_schedules} schedules. {describeLimits(tenant.plan)}.
          </p>
        </div>
        {schedules.length > 0 && newButton("New schedule")}
      </div>
      {schedules.length === 0 ? (
        <EmptyState title="No scheduled reviews yet">
          <p>Create a schedule to review your pipeline automatically, e.g. every Monday at 06:00.</p>
          <p className="mt-4">
            {newButton("Create your first schedule")}
          </p>
        </EmptyState>
      ) : (
        <>
          <ScheduleTable schedules={schedules} role={role} />
          <UpcomingRuns upcoming={upcoming} days={UPCOMING_DAYS} />
        </>
      )}
    </div>
  );
}
