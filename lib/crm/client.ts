import type { CrmConnection } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";
import { createDemoClient, parseDemoInstanceUrl, type DemoFault } from "./demo";
import { createHubspotClient } from "./hubspot";
import { createSalesforceClient } from "./salesforce";
import { ALL_OPEN_DEALS, type ScanScope } from "./scope";
import { CrmError, type CrmClient } from "./types";

// The connector factory: one CrmClient per connection, whatever the provider.

export type ConnectionRef = Pick<CrmConnection, "id" | "ownerId" | "provider" | "instanceUrl" | "status">;

const PROVIDER_NAMES = { HUBSPOT: "HubSpot", SALESFORCE: "Salesforce", DEMO: "Demo CRM" } as const;

export function crmClientFor(connection: ConnectionRef, scope: ScanScope = ALL_OPEN_DEALS): CrmClient {
  const name = PROVIDER_NAMES[connection.provider];
  if (connection.status === "EXPIRED") {
    throw new CrmError("crm_auth_expired", `The ${name} connection has expired; reconnect it on the CRM page`);
  }
  if (connection.provider === "HUBSPOT") return createHubspotClient({ connectionId: connection.id, ownerId: connection.ownerId, scope });
  if (connection.provider === "SALESFORCE") return createSalesforceClient({ connectionId: connection.id, ownerId: connection.ownerId, scope });
  return demoClient(connection);
}

// Page fetches already made per faulty demo connection in this process. A fault "kind@N" counts
// calls over the connection's life, like a flaky server, so "server_error@1" fails only the first
// attempt and the retry (a new client, in a new step execution) succeeds.
const callsMade = new Map<string, number>();

function demoClient(connection: ConnectionRef): CrmClient {
  const { faults, latencyMs, ...opts } = parseDemoInstanceUrl(connection.instanceUrl);
  // Faults and latency are test facilities, honoured only where the environment allows them (never in production).
  if ((!faults && latencyMs === undefined) || !env().DEMO_CRM_FAULTS) return createDemoClient(opts);
  if (!faults) return createDemoClient({ ...opts, latencyMs });
  const key = `${connection.id}\u0000${connection.instanceUrl ?? ""}`;
  return {
    async fetchOpenDeals(fetchOpts) {
      const made = callsMade.get(key) ?? 0;
      const pending: DemoFault[] = faults.flatMap((f) =>
        f.onCall === undefined ? [f] : f.onCall > made ? [{ ...f, onCall: f.onCall - made }] : [],
      );
      const client = createDemoClient({ ...opts, latencyMs, faults: pending });
      try {
        return await client.fetchOpenDeals(fetchOpts);
      } finally {
        callsMade.set(key, made + client.callCount);
      }
    },
  };
}
