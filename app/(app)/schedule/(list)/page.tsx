import Link from "next/link";
import { pageTenant } from "@/app/(app)/page-glue";
import { describeLimits } from "@/lib/plans";
import { getWorkspace } from "@/lib/workspace/settings";
import { AdminOnly } from "@/components/schedules/role-gate";
import { AppError } from "@/lib/errors";
import { listSchedules } from "@/lib/schedules/list";
import { ButtonLink } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/card";
import { ScheduleTable } from "@/components/schedules/schedule-table";
import { UpcomingRuns } from "@/components/schedules/upcoming-runs";
import { upcomingRuns } from "@/lib/schedules/upcoming";
import { UPCOMING_DAYS, UPCOMING_LIMIT } from "@/lib/schedules/upcoming-schemas";

export const metadata = { title: "Scheduled reviews · Revwatch" };

type Search = Promise<Record<string, string | string[] | undefined>>;

/** A page of schedules after `cursor`; a cursor this app did not issue shows the first page. */
async function schedulePage(ownerId: string, cursor: string | undefined) {
  try {
    return await listSchedules(ownerId, { cursor });
  } catch (err) {
    if (cursor && err instanceof AppError && err.code === "invalid_cursor") return listSchedules(ownerId);
    throw err;
  }
}

export default async function SchedulePage({ searchParams }: { searchParams: Search }) {
  const tenant = await pageTenant();
  const { ownerId, role } = tenant;
  const raw = (await searchParams).cursor;
  const cursor = typeof raw === "string" && raw ? raw : undefined;
  const [{ data: schedules, next_cursor }, upcoming, workspace] = await Promise.all([
    schedulePage(ownerId, cursor),
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
          {(cursor || next_cursor) && (
            <nav aria-label="Schedule pages" className="flex gap-4 text-sm">
              {cursor && <Link href="/schedule" className="text-indigo-700 hover:underline">Newest schedules</Link>}
              {next_cursor && <Link href={`/schedule?cursor=${encodeURIComponent(next_cursor)}`} className="text-indigo-700 hover:underline">Older schedules</Link>}
            </nav>
          )}
          <UpcomingRuns upcoming={upcoming} days={UPCOMING_DAYS} />
        </>
      )}
    </div>
  );
}
