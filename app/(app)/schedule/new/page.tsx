import Link from "next/link";
import { pageTenant } from "@/app/(app)/page-glue";
import { describeLimits, planAtLeast } from "@/lib/plans";
import { ADMIN_ONLY_REASON } from "@/lib/roles";
import { ScheduleForm } from "@/components/schedules/schedule-form";

export const metadata = { title: "New schedule · Revwatch" };

export default async function NewSchedulePage() {
  const tenant = await pageTenant();
  return (
    <div className="space-y-4">
      <Link href="/schedule" className="text-sm text-indigo-700 hover:underline">← Scheduled reviews</Link>
      <h1 className="text-2xl font-semibold">New schedule</h1>
      {!planAtLeast(tenant.plan, "team") && (
        <p className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
          Your plan is {tenant.plan}: saving a schedule needs the Team plan or higher. You can still try schedules out with the preview.
        </p>
      )}
      <p className="text-sm text-slate-600" data-testid="plan-limits">{describeLimits(tenant.plan)}.</p>
      {tenant.role === "admin" ? (
        <ScheduleForm />
      ) : (
        <p className="rounded-md border border-slate-300 bg-slate-50 p-3 text-sm text-slate-700" data-testid="admin-only-reason">{ADMIN_ONLY_REASON}.</p>
      )}
    </div>
  );
}
