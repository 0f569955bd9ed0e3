import { pageTenant } from "@/app/(app)/page-glue";
import { AlertSettingsForm } from "@/components/alerts/settings-form";
import { getAlertSettings } from "@/lib/alerts/settings";

export const metadata = { title: "Alert settings · Revwatch" };

export default async function AlertSettingsPage() {
  const { ownerId, role } = await pageTenant();
  const settings = await getAlertSettings(ownerId);
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-2xl font-semibold">Alert settings</h1>
        <p className="text-sm text-slate-600">Which problems open an alert, how severe each is, who is told, and how often.</p>
      </div>
      <AlertSettingsForm initial={settings} role={role} />
    </div>
  );
}
