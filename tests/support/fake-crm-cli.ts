// Fake HubSpot (8304) and Salesforce (8305) on loopback for e2e and local trials of the connect flow,
// seeded with 300 deals / opportunities each. The OAuth app is the one the app is configured with
// (HUBSPOT_CLIENT_ID/SECRET, SALESFORCE_CLIENT_ID/SECRET). POST /__admin/revoke-all on either
// revokes every token (the user removed the app in the CRM).
import { FAKE_HUBSPOT_DEFAULT_PORT, FakeHubspot, makeHubspotDeals } from "./fake-hubspot";
import { FAKE_SALESFORCE_DEFAULT_PORT, FakeSalesforce, makeOpportunities } from "./fake-salesforce";

if (process.env.NODE_ENV === "production") throw new Error("The fake CRMs are test doubles; refused in production");
const port = (name: string, def: number) => Number(process.env[name] ?? def);

const hub = new FakeHubspot();
const sf = new FakeSalesforce();
for (const [fake, id, secret] of [[hub, "HUBSPOT_CLIENT_ID", "HUBSPOT_CLIENT_SECRET"], [sf, "SALESFORCE_CLIENT_ID", "SALESFORCE_CLIENT_SECRET"]] as const) {
  fake.oauth.clientId = process.env[id] ?? fake.oauth.clientId;
  fake.oauth.clientSecret = process.env[secret] ?? fake.oauth.clientSecret;
}
await hub.listen(port("FAKE_HUBSPOT_PORT", FAKE_HUBSPOT_DEFAULT_PORT));
await sf.listen(port("FAKE_SALESFORCE_PORT", FAKE_SALESFORCE_DEFAULT_PORT));
hub.deals = makeHubspotDeals(300);
({ opportunities: sf.opportunities, history: sf.history } = makeOpportunities(300));
console.log(JSON.stringify({ ready: true, hubspot: hub.url, salesforce: sf.url }));

const stop = async () => {
  await Promise.all([hub.close(), sf.close()]);
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
