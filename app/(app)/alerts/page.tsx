import { pageOwnerId } from "@/app/(app)/page-glue";
import { AlertList } from "@/components/alerts/alert-list";
import { ButtonLink } from "@/components/ui/button";
import { listAlerts } from "@/lib/alerts/alerts";

export const metadata = { title: "Alerts · Revwatch" };

export default async function AlertsPage() {
  const { alerts } = await listAlerts(await pageOwnerId(), "all");
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">Alerts</h1>
          <p className="text-sm text-slate-600">One alert per rule and subject while it lasts; acknowledge to stop reminders, mute to silence it.</p>
        </div>
        <ButtonLink href="/alerts/settings" variant="secondary">Alert settings</ButtonLink>
      </div>
      <AlertList initial={alerts} />
    </div>
  );
}
