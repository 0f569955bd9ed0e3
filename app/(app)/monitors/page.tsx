import { pageTenant } from "@/app/(app)/page-glue";
import { MONITOR_PAGE_SIZE } from "@/components/monitors/api";
import { MonitorList } from "@/components/monitors/monitor-list";
import { listMonitors } from "@/lib/monitors/service";

export const metadata = { title: "Monitors · Revwatch" };

export default async function MonitorsPage() {
  const { ownerId, role } = await pageTenant();
  const first = await listMonitors(ownerId, { limit: MONITOR_PAGE_SIZE });
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-2xl font-semibold">Monitors</h1>
        <p className="text-sm text-slate-600">Jobs that run elsewhere report each execution here; a monitor is late when an expected run has not started, down when it failed or was missed.</p>
      </div>
      <MonitorList initial={first} role={role} />
    </div>
  );
}
