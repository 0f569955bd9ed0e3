import { pageOwnerId } from "@/app/(app)/page-glue";
import { ALERT_PAGE_SIZE } from "@/components/alerts/api";
import { AlertList } from "@/components/alerts/alert-list";
import { ButtonLink } from "@/components/ui/button";
import { listAlerts } from "@/lib/alerts/alerts";

export const metadata = { title: "Alerts · Revwatch" };

export default async function AlertsPage() {
  const first = await listAlerts(await pageOwnerId(), { status: "all", limit: ALERT_PAGE_SIZE });
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">Alerts</h1>
          <p className="text-sm text-slate-600">One alert per subject while it lasts (other rules join it); acknowledge to stop reminders, mute to silence it.</p>
        </div>
        <ButtonLink href="/alerts/settings" variant="secondary">Alert settings</ButtonLink>
      </div>
      <AlertList initial={first} />
    </div>
  );
}
