import { pageTenant } from "@/app/(app)/page-glue";
import { Card } from "@/components/ui/card";
import { RetentionForm } from "@/components/workspace/retention-form";
import { describeLimits } from "@/lib/plans";
import { getWorkspace } from "@/lib/workspace/settings";

export const metadata = { title: "Workspace settings · Revwatch" };

export default async function WorkspaceSettingsPage() {
  const tenant = await pageTenant();
  const w = await getWorkspace(tenant);
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-2xl font-semibold">Workspace settings</h1>
        <p className="text-sm text-slate-600">{tenant.orgId ? `Organization ${tenant.orgId}` : "Your personal workspace"} · {w.plan} plan · your role: {w.role}</p>
      </div>
      <Card title="Plan">
        <p className="text-sm" data-testid="workspace-plan">
          {w.usage.schedules} of {w.limits.max_schedules} schedules. {describeLimits(w.plan)}.
        </p>
      </Card>
      <Card title="Run history">
        <RetentionForm key={w.run_retention_days} days={w.run_retention_days} maxDays={w.limits.max_run_retention_days} role={w.role} />
        <p className="mt-3 text-xs text-slate-500">Scheduler heartbeats are kept for {w.tick_retention_days} days.</p>
      </Card>
    </div>
  );
}
