import Link from "next/link";
import type { RunStatusFilter } from "@/components/runs/api";
import { RunHistory } from "@/components/runs/run-history";
import { ScheduleCharts } from "@/components/runs/schedule-charts-lazy";
import { pageOwnerId, readForPage } from "@/app/(app)/page-glue";
import { healthSeries, listRuns } from "@/lib/runs/queries";
import { RUN_STATUSES } from "@/lib/schedules/schemas";
import { getSchedule } from "@/lib/schedules/service";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Pick<Props, "params">) {
  const schedule = await readForPage(getSchedule, await pageOwnerId(), (await params).id);
  return { title: `Run history · ${schedule.name} · Revwatch` };
}

export default async function HistoryPage({ params, searchParams }: Props) {
  const [ownerId, { id }, query] = await Promise.all([pageOwnerId(), params, searchParams]);
  // An unknown ?status= shows every run rather than an error page.
  const status: RunStatusFilter = RUN_STATUSES.find((s) => s === query.status) ?? "";
  const schedule = await readForPage(getSchedule, ownerId, id);
  const [page, series] = await Promise.all([
    listRuns(ownerId, id, { status: status || undefined, limit: 20 }),
    healthSeries(ownerId, id, 30),
  ]);
  return (
    <div className="space-y-6">
      <Link href={`/schedule/${id}`} className="text-sm text-indigo-700 hover:underline">← {schedule.name}</Link>
      <div>
        <h1 className="break-words text-2xl font-semibold">Run history</h1>
        <p className="text-sm text-slate-600">
          {schedule.name} · {schedule.schedule_description} ({schedule.timezone}) · {schedule.crm_connection.name}
        </p>
      </div>
      <RunHistory scheduleId={id} initialStatus={status} initialPage={page} />
      <ScheduleCharts scheduleId={id} initial={series} />
    </div>
  );
}
