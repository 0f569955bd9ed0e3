import Link from "next/link";
import { pageOwnerId, readForPage } from "@/app/(app)/page-glue";
import { getSchedule } from "@/lib/schedules/service";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { DeleteScheduleButton } from "@/components/schedules/delete-button";
import { ScheduleForm } from "@/components/schedules/schedule-form";
import { ScheduleSummary } from "@/components/schedules/schedule-summary";
import { ScheduleCharts } from "@/components/runs/schedule-charts";

export const metadata = { title: "Schedule · Revwatch" };

export default async function SchedulePage({ params }: { params: Promise<{ id: string }> }) {
  const schedule = await readForPage(getSchedule, await pageOwnerId(), (await params).id);
  return (
    <div className="space-y-6">
      <Link href="/schedule" className="text-sm text-indigo-700 hover:underline">← Scheduled reviews</Link>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="flex min-w-0 flex-wrap items-center gap-2">
          <h1 className="break-words text-2xl font-semibold">{schedule.name}</h1>
          {schedule.is_active ? <Badge tone="green">Active</Badge> : <Badge>Paused</Badge>}
        </div>
        <div className="flex flex-wrap gap-2">
          <ButtonLink href={`/schedule/${schedule.id}/history`} variant="secondary">Run history</ButtonLink>
          <DeleteScheduleButton id={schedule.id} name={schedule.name} />
        </div>
      </div>

      <ScheduleSummary schedule={schedule} />

      {/* Run health: health score and duration over the last 30 completed runs. */}
      <ScheduleCharts scheduleId={schedule.id} />

      <section aria-labelledby="edit-title" className="space-y-3">
        <h2 id="edit-title" className="text-lg font-semibold">Edit schedule</h2>
        <ScheduleForm schedule={schedule} key={schedule.updated_at} />
      </section>
    </div>
  );
}
