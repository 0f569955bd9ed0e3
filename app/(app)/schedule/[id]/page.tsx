import Link from "next/link";
import { pageOwnerId, pageTenant, readForPage } from "@/app/(app)/page-glue";
import { listAudit } from "@/lib/audit/queries";
import { describeSchedule } from "@/lib/schedules/describe";
import { PolicyPanel } from "@/components/schedules/policy-panel";
import { getSchedule } from "@/lib/schedules/service";
import { devToolsAllowed } from "@/lib/env";
import { executorStatus } from "@/lib/executor";
import { listRuns } from "@/lib/runs/queries";
import { successChecklist } from "@/lib/schedules/checklist";
import { RunNowButton } from "@/components/runs/run-now-button";
import { SuccessChecklist } from "@/components/schedules/success-checklist";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { DeleteScheduleButton } from "@/components/schedules/delete-button";
import { ScheduleForm } from "@/components/schedules/schedule-form";
import { ScheduleSummary } from "@/components/schedules/schedule-summary";
import { ScheduleCharts } from "@/components/runs/schedule-charts-lazy";
import { ActivityList } from "@/components/schedules/activity-list";
import { PauseNote } from "@/components/schedules/pause-note";
import { AdminOnly } from "@/components/schedules/role-gate";

type Props = { params: Promise<{ id: string }> };

// Same cached read as the page (readForPage): the title costs no extra query.
export async function generateMetadata({ params }: Props) {
  const schedule = await readForPage(getSchedule, await pageOwnerId(), (await params).id);
  return { title: `${schedule.name} · Revwatch` };
}

export default async function SchedulePage({ params }: Props) {
  const { ownerId, role } = await pageTenant();
  const schedule = await readForPage(getSchedule, ownerId, (await params).id);
  const [latest, executor, activity, description] = await Promise.all([
    listRuns(ownerId, schedule.id, { limit: 1 }).then((p) => p.data[0] ?? null),
    executorStatus(),
    listAudit(ownerId, { schedule_id: schedule.id, limit: 20 }),
    describeSchedule(ownerId, schedule),
  ]);
  const checklist = successChecklist(schedule, latest, executor, { outbox: devToolsAllowed() });
  return (
    <div className="space-y-6">
      <Link href="/schedule" className="text-sm text-indigo-700 hover:underline">← Scheduled reviews</Link>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="flex min-w-0 flex-wrap items-center gap-2">
          <h1 className="break-words text-2xl font-semibold">{schedule.name}</h1>
          {schedule.is_active ? <Badge tone="green">Active</Badge> : <Badge>Paused</Badge>}
          <PauseNote pause={schedule.pause} />
        </div>
        <div className="flex flex-wrap items-start gap-2">
          <RunNowButton scheduleId={schedule.id} />
          <ButtonLink href={`/schedule/${schedule.id}/history`} variant="secondary">Run history</ButtonLink>
          <AdminOnly role={role} label="Edit">
            <ButtonLink href="#edit-title" variant="secondary">Edit</ButtonLink>
          </AdminOnly>
          {role === "admin" && <DeleteScheduleButton id={schedule.id} name={schedule.name} />}
        </div>
      </div>

      <ScheduleSummary schedule={schedule} />

      <PolicyPanel schedule={schedule} description={description} />

      <SuccessChecklist items={checklist} runInProgress={latest?.status === "queued" || latest?.status === "running"} />

      {/* Run health: health score and duration over the last 30 completed runs. */}
      <ScheduleCharts scheduleId={schedule.id} />

      {role === "admin" && (
        <section aria-labelledby="edit-title" className="space-y-3">
          <h2 id="edit-title" className="text-lg font-semibold">Edit schedule</h2>
          <ScheduleForm schedule={schedule} key={schedule.updated_at} />
        </section>
      )}

      <ActivityList events={activity.data} />
    </div>
  );
}
