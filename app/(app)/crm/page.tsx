import { Card } from "@/components/ui/card";
import { pageTenant } from "@/app/(app)/page-glue";
import { AdminOnly } from "@/components/schedules/role-gate";
import { listConnections } from "@/lib/crm/connections";
import { connectErrorMessage } from "@/lib/crm/connect-errors";
import { missingEnv } from "@/lib/crm/providers";
import { DemoCrmButton } from "@/components/schedules/demo-crm-button";
import { ConnectButtons } from "@/components/crm/connect-buttons";
import { ConnectionRow } from "@/components/crm/connection-row";

export const metadata = { title: "CRM connections · Revwatch" };

type Search = Promise<{ connected?: string | string[]; connect_error?: string | string[] }>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export default async function CrmPage({ searchParams }: { searchParams: Search }) {
  const { ownerId, role } = await pageTenant();
  const connections = await listConnections(ownerId);
  const q = await searchParams;
  const connected = connections.find((c) => c.id === one(q.connected));
  const failed = one(q.connect_error);
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">CRM connections</h1>
      {connected && <p role="status" className="rounded-md bg-emerald-50 p-3 text-sm text-emerald-900">Connected {connected.name}. Test it, then use it in a schedule.</p>}
      {failed && <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800">{connectErrorMessage(failed)}</p>}
      <Card>
        {connections.length === 0 ? (
          <p className="text-sm text-slate-700">No CRM is connected yet. Connect HubSpot or Salesforce below, or start with the Demo CRM: a realistic pipeline, no keys needed.</p>
        ) : (
          <ul className="divide-y divide-slate-100">
            {connections.map((c) => <ConnectionRow key={c.id} connection={c} role={role} />)}
          </ul>
        )}
      </Card>
      <Card>
        <h2 className="mb-3 text-lg font-semibold">Connect a CRM</h2>
        <AdminOnly role={role} label="Connect a CRM">
          <ConnectButtons missing={{ hubspot: missingEnv("hubspot"), salesforce: missingEnv("salesforce") }} />
        </AdminOnly>
        {!connections.some((c) => c.provider === "demo") && (
          <div className="mt-4 border-t border-slate-100 pt-4">
            <AdminOnly role={role} label="Use the Demo CRM">
              <DemoCrmButton />
            </AdminOnly>
          </div>
        )}
      </Card>
      <p className="text-sm text-slate-600">
        Revwatch reads open deals only (deals, pipelines and owners), stores the CRM&apos;s tokens encrypted and never shows them.
        The Demo CRM generates a realistic, deterministic pipeline so reviews work from the first minute.
      </p>
    </div>
  );
}
