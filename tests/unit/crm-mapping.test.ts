// HubSpot and Salesforce records -> the normalised Deal, one field at a time: amounts as strings,
// missing values, and dates that must not move with the server's time zone.
import { describe, expect, test } from "vitest";
import { mapHubspotDeal, mapPipelines, parseAmount, parseCloseDate, type HubspotStage } from "@/lib/crm/hubspot-map";
import { mapOpportunity, soqlString, summarizeHistory, type SfHistoryRow } from "@/lib/crm/salesforce-map";

const stage: HubspotStage = { id: "qualifiedtobuy", label: "Qualified to buy", pipelineId: "default", displayOrder: 1, probability: 40, isClosed: false };
const stages = new Map([[stage.id, stage]]);
const owners = new Map([["101", "Maya Patel"]]);
const hub = (properties: Record<string, string | null>) => mapHubspotDeal({ id: "1001", properties, createdAt: "2026-01-02T03:04:05.000Z" }, stages, owners);

describe("HubSpot deal mapping", () => {
  test("id and name; a blank name gets a readable stand-in", () => {
    expect(hub({ dealname: "Acme renewal" })).toMatchObject({ id: "1001", name: "Acme renewal" });
    expect(hub({ dealname: "  " }).name).toBe("Deal 1001");
  });
  test("amount: HubSpot's strings become numbers; empty, null and junk become null", () => {
    expect(parseAmount("1000")).toBe(1000);
    expect(parseAmount("1000.50")).toBe(1000.5);
    expect(parseAmount("1,250")).toBe(1250);
    expect(parseAmount("")).toBeNull();
    expect(parseAmount(null)).toBeNull();
    expect(parseAmount("n/a")).toBeNull();
    expect(hub({ amount: "2500" }).amount).toBe(2500);
  });
  test("currency: deal_currency_code, else USD", () => {
    expect(hub({ deal_currency_code: "EUR" }).currency).toBe("EUR");
    expect(hub({}).currency).toBe("USD");
  });
  test("stage: the pipeline's label and its probability (0-1 -> percent); unknown stage ids pass through", () => {
    expect(hub({ dealstage: "qualifiedtobuy" })).toMatchObject({ stage: "Qualified to buy", probability: 40 });
    expect(hub({ dealstage: "custom-1" })).toMatchObject({ stage: "custom-1", probability: null });
  });
  test("close date: the UTC calendar date HubSpot stores, whatever the server's zone", () => {
    expect(parseCloseDate("2027-01-31T00:00:00Z")).toBe("2027-01-31");
    expect(parseCloseDate("2027-01-31T00:00:00.000Z")).toBe("2027-01-31");
    expect(parseCloseDate(String(Date.UTC(2027, 1, 1)))).toBe("2027-02-01"); // epoch ms, as some endpoints send
    expect(parseCloseDate(null)).toBeNull();
    expect(hub({ closedate: "2027-01-31T00:00:00Z" }).closeDate).toBe("2027-01-31");
  });
  test("createdAt from createdate, else the record's createdAt", () => {
    expect(hub({ createdate: "2026-05-01T10:00:00Z" }).createdAt).toBe("2026-05-01T10:00:00.000Z");
    expect(hub({}).createdAt).toBe("2026-01-02T03:04:05.000Z");
  });
  test("last activity from notes_last_contacted; next activity from notes_next_activity_date", () => {
    expect(hub({ notes_last_contacted: "2026-11-20T09:00:00Z" }).lastActivityAt).toBe("2026-11-20T09:00:00.000Z");
    expect(hub({}).lastActivityAt).toBeNull();
    expect(hub({ notes_next_activity_date: "2026-12-03T09:00:00Z" }).nextActivityScheduled).toBe(true);
    expect(hub({ notes_next_activity_date: null }).nextActivityScheduled).toBe(false);
  });
  test("next step: hs_next_step, blank -> null", () => {
    expect(hub({ hs_next_step: "Send proposal" }).nextStep).toBe("Send proposal");
    expect(hub({ hs_next_step: "" }).nextStep).toBeNull();
  });
  test("owner: the owner's name; an unknown id stays recognisable; none -> null", () => {
    expect(hub({ hubspot_owner_id: "101" }).owner).toBe("Maya Patel");
    expect(hub({ hubspot_owner_id: "999" }).owner).toBe("Owner 999");
    expect(hub({}).owner).toBeNull();
  });
  test("stage entry time from hs_date_entered_<stage>; contacts from num_associated_contacts", () => {
    expect(hub({ dealstage: "qualifiedtobuy", hs_date_entered_qualifiedtobuy: "2026-10-01T00:00:00Z" }).stageEnteredAt).toBe("2026-10-01T00:00:00.000Z");
    expect(hub({ num_associated_contacts: "1" }).contactCount).toBe(1);
    expect(hub({}).contactCount).toBeNull();
  });
  test("pipelines: closed stages from metadata.isClosed, else probability 0 or 1; archived ones dropped", () => {
    const [p] = mapPipelines({ results: [{ id: "default", label: "Sales", stages: [
      { id: "a", label: "A", metadata: { probability: "0.2", isClosed: "false" } },
      { id: "won", label: "Won", metadata: { probability: "1.0" } },
      { id: "old", label: "Old", archived: true, metadata: {} },
    ] }] });
    expect(p!.stages.map((s) => [s.id, s.isClosed, s.probability])).toEqual([["a", false, 20], ["won", true, 100]]);
  });
});

const opp = (fields: Record<string, unknown>) => mapOpportunity({ Id: "006A", ...fields }, undefined);

describe("Salesforce opportunity mapping", () => {
  test("amount is a number or null; probability passes through", () => {
    expect(opp({ Amount: 1000 }).amount).toBe(1000);
    expect(opp({ Amount: null }).amount).toBeNull();
    expect(opp({ Probability: 75 }).probability).toBe(75);
  });
  test("CloseDate and LastActivityDate are zone-less dates and stay exactly as sent", () => {
    const d = opp({ CloseDate: "2026-09-30", LastActivityDate: "2026-11-01" });
    expect(d.closeDate).toBe("2026-09-30");
    expect(d.lastActivityAt).toBe("2026-11-01");
    expect(opp({ CloseDate: null }).closeDate).toBeNull();
  });
  test("CreatedDate with Salesforce's +0000 offset becomes ISO UTC", () => {
    expect(opp({ CreatedDate: "2026-01-15T10:00:00.000+0000" }).createdAt).toBe("2026-01-15T10:00:00.000Z");
    expect(opp({ CreatedDate: "2026-01-15T10:00:00.000-0500" }).createdAt).toBe("2026-01-15T15:00:00.000Z");
  });
  test("owner from Owner.Name; name, stage, next step, blanks -> null", () => {
    expect(opp({ Owner: { Name: "Ada Lovelace" }, Name: "Big deal", StageName: "Prospecting", NextStep: " " })).toMatchObject({
      owner: "Ada Lovelace", name: "Big deal", stage: "Prospecting", nextStep: null,
    });
    expect(opp({}).owner).toBeNull();
  });
  test("history: close-date pushes counted (PrevCloseDate or the row before), stage entry = the last move into the current stage", () => {
    const rows: SfHistoryRow[] = [
      { OpportunityId: "006A", StageName: "Prospecting", CloseDate: "2026-09-01", PrevCloseDate: null, CreatedDate: "2026-06-01T00:00:00.000+0000" },
      { OpportunityId: "006A", StageName: "Qualification", CloseDate: "2026-09-15", PrevCloseDate: "2026-09-01", CreatedDate: "2026-07-01T00:00:00.000+0000" },
      { OpportunityId: "006A", StageName: "Prospecting", CloseDate: "2026-09-10", CreatedDate: "2026-08-01T00:00:00.000+0000" },
      { OpportunityId: "006A", StageName: "Qualification", CloseDate: "2026-10-01", CreatedDate: "2026-09-01T00:00:00.000+0000" },
    ];
    rows[1]!.Amount = 12_000;
    rows[1]!.PrevAmount = 9_000;
    const order = new Map([["Prospecting", 1], ["Qualification", 2]]);
    expect(summarizeHistory(rows, "Qualification", order)).toEqual({
      closeDatePushes: 2, closeDateSlipDays: 14 + 21, stageEnteredAt: "2026-09-01T00:00:00.000Z", stageBackwardMoves: 1, peakAmount: 12_000,
    });
    expect(summarizeHistory(rows, "Qualification").stageBackwardMoves).toBeNull(); // no stage order: not judged
    expect(summarizeHistory([], "Qualification")).toMatchObject({ closeDatePushes: 0, closeDateSlipDays: 0, stageEnteredAt: null });
  });
  test("SOQL literals escape quotes and backslashes", () => {
    expect(soqlString("O'Brien \\ Co")).toBe("'O\\'Brien \\\\ Co'");
  });
});
