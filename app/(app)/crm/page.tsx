import { Card } from "@/components/ui/card";
import { pageOwnerId } from "@/app/(app)/page-glue";
import { listConnections } from "@/lib/crm/connections";
import { DemoCrmButton } from "@/components/schedules/demo-crm-button";

const PROVIDER_LABEL = { demo: "Demo CRM", hubspot: "HubSpot", salesforce: "Salesforce" } as const;

export const metadata = { title: "CRM connections · Revwatch" };

export default async function CrmPage() {
  const connections = await listConnections(await pageOwnerId());
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">CRM connections</h1>
      {connections.length === 0 ? (
        <Card>
          <p className="mb-3 text-sm text-slate-700">No CRM is connected yet. Start with the Demo CRM: a realistic pipeline, no keys needed.</p>
          <DemoCrmButton />
        </Card>
      ) : (
        <Card>
          <ul className="divide-y divide-slate-100">
            {connections.map((c) => (
              <li key={c.id} className="flex flex-wrap items-center justify-between gap-2 py-3">
                <div>
                  <p className="font-medium">{c.name}</p>
                  <p className="text-sm text-slate-600">{PROVIDER_LABEL[c.provider]}</p>
                </div>
                <span className="rounded-full bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-700">Status: {c.status}</span>
              </li>
            ))}
          </ul>
        </Card>
      )}
      <p className="text-sm text-slate-600">
        The Demo CRM generates a realistic, deterministic pipeline so reviews work from the first minute.
        HubSpot and Salesforce connections (OAuth) are not available yet.
      </p>
    </div>
  );
}
