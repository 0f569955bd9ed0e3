// Pure pieces of the #14 review fixes: HubSpot property history -> the history fields the rules read,
// Salesforce's SELECT list from the org's describe, the SOQL scope where an org has no record types,
// the My Domain host check (every partition, nothing outside *.my.salesforce.com), and connect_error
// codes mapped to fixed text (never the URL's own).
import { describe, expect, test } from "vitest";
import { connectErrorMessage, CONNECT_ERROR_MESSAGES } from "@/lib/crm/connect-errors";
import { hubspotHistoryFields } from "@/lib/crm/hubspot-history";
import { secondlyWindowLeftMs } from "@/lib/crm/hubspot-limits";
import type { HubspotStage } from "@/lib/crm/hubspot-map";
import { isMyDomainUrl } from "@/lib/crm/providers";
import { opportunityWhere } from "@/lib/crm/salesforce";
import { opportunityFields } from "@/lib/crm/salesforce-map";

const stage = (id: string, displayOrder: number): [string, HubspotStage] => [id, { id, label: id, pipelineId: "default", displayOrder, probability: null, isClosed: false }];
const stages = new Map([stage("appointmentscheduled", 0), stage("qualifiedtobuy", 1), stage("contractsent", 2)]);
const e = (value: string | null, timestamp: string) => ({ value, timestamp });

describe("HubSpot history -> history fields", () => {
  test("close date pushes and slip days, newest-first entries read oldest first", () => {
    const f = hubspotHistoryFields({ closedate: [e("2027-03-31T00:00:00Z", "2026-11-20T10:00:00Z"), e("2027-02-28T00:00:00Z", "2026-10-01T10:00:00Z"), e("2027-01-31T00:00:00Z", "2026-09-01T10:00:00Z")] }, stages);
    expect(f).toMatchObject({ closeDatePushes: 2, closeDateSlipDays: 28 + 31 });
  });
  test("a close date pulled in is not a push", () => {
    const f = hubspotHistoryFields({ closedate: [e("2027-01-10T00:00:00Z", "2026-11-02T00:00:00Z"), e("2027-01-31T00:00:00Z", "2026-11-01T00:00:00Z")] }, stages);
    expect(f).toMatchObject({ closeDatePushes: 0, closeDateSlipDays: 0 });
  });
  test("an epoch-ms close date reads like an ISO one: a later one is a push with its slip days", () => {
    const f = hubspotHistoryFields({ closedate: [e(String(Date.UTC(2027, 1, 10)), "2026-11-02T00:00:00Z"), e("2027-01-31T00:00:00Z", "2026-11-01T00:00:00Z")] }, stages);
    expect(f).toMatchObject({ closeDatePushes: 1, closeDateSlipDays: 10 });
  });
  test("stage moves back by the stages' display order", () => {
    const f = hubspotHistoryFields({ dealstage: [e("qualifiedtobuy", "2026-11-03T00:00:00Z"), e("contractsent", "2026-11-02T00:00:00Z"), e("appointmentscheduled", "2026-11-01T00:00:00Z")] }, stages);
    expect(f.stageBackwardMoves).toBe(1);
    expect(hubspotHistoryFields({ dealstage: [e("contractsent", "2026-11-02T00:00:00Z"), e("appointmentscheduled", "2026-11-01T00:00:00Z")] }, stages).stageBackwardMoves).toBe(0);
  });
  test("stage orders are compared only within one pipeline: a move to an earlier-ordered stage of another pipeline is not backward", () => {
    const renewals: [string, HubspotStage] = ["renewal-start", { id: "renewal-start", label: "Renewal", pipelineId: "renewals", displayOrder: 0, probability: null, isClosed: false }];
    const both = new Map([...stages, renewals]);
    expect(hubspotHistoryFields({ dealstage: [e("renewal-start", "2026-11-02T00:00:00Z"), e("contractsent", "2026-11-01T00:00:00Z")] }, both).stageBackwardMoves).toBe(0);
    expect(hubspotHistoryFields({ dealstage: [e("appointmentscheduled", "2026-11-03T00:00:00Z"), e("renewal-start", "2026-11-02T00:00:00Z"), e("contractsent", "2026-11-01T00:00:00Z")] }, both).stageBackwardMoves).toBe(0);
  });
  test("the peak amount over the history; string amounts parsed, blanks skipped", () => {
    expect(hubspotHistoryFields({ amount: [e("5000", "2026-11-03T00:00:00Z"), e("", "2026-11-02T00:00:00Z"), e("20000.5", "2026-11-01T00:00:00Z")] }, stages).peakAmount).toBe(20000.5);
  });
  test("no history: nothing pushed, no peak", () => {
    expect(hubspotHistoryFields(undefined, stages)).toEqual({ closeDatePushes: 0, closeDateSlipDays: 0, stageBackwardMoves: 0, peakAmount: null });
  });
});

describe("Salesforce fields from the describe", () => {
  const base = new Set(["Id", "Name", "StageName"]);
  test("RecordTypeId and CurrencyIsoCode only where the org has them", () => {
    expect(opportunityFields(base)).not.toContain("RecordTypeId");
    expect(opportunityFields(base)).not.toContain("CurrencyIsoCode");
    expect(opportunityFields(new Set([...base, "RecordTypeId", "CurrencyIsoCode"]))).toEqual(expect.arrayContaining(["RecordTypeId", "CurrencyIsoCode"]));
  });
  test("a record-type scope in an org without record types matches nothing (null), other scopes are unaffected", () => {
    const scope = { pipelineIds: ["012000000000001AAA"], stageIds: [], ownerIds: [], minAmount: null };
    expect(opportunityWhere(scope, "", false)).toBeNull();
    expect(opportunityWhere(scope, "", true)).toContain("RecordTypeId IN ('012000000000001AAA')");
    expect(opportunityWhere({ ...scope, pipelineIds: [] }, "", false)).toBe("IsClosed = false");
  });
});

describe("My Domain login hosts", () => {
  test.each([
    "https://acme.my.salesforce.com",
    "https://acme--uat.sandbox.my.salesforce.com",
    "https://acme--uat.my.salesforce.com",
    "https://acme-dev-ed.develop.my.salesforce.com",
    "https://acme--scratch1.scratch.my.salesforce.com",
    "https://acme.demo.my.salesforce.com",
    "https://acme.patch.my.salesforce.com",
    "https://acme.trailblaze.my.salesforce.com",
    "https://acme.free.my.salesforce.com",
    "https://ACME.my.salesforce.com/",
  ])("accepted: %s", (url) => expect(isMyDomainUrl(url)).toBe(true));
  test.each([
    "http://acme.my.salesforce.com",
    "https://acme.my.salesforce.com:8443",
    "https://acme.my.salesforce.com.evil.example",
    "https://evil.example/acme.my.salesforce.com",
    "https://my.salesforce.com",
    "https://acme.evil.my.salesforce.com",
    "https://acme.my.salesforce.com/services/oauth2",
    "https://user@acme.my.salesforce.com@evil.example",
    "https://login.salesforce.com",
    "https://127.0.0.1",
  ])("refused: %s", (url) => expect(isMyDomainUrl(url)).toBe(false));
});

describe("connect_error codes", () => {
  test("every code has its own message", () => {
    for (const [code, message] of Object.entries(CONNECT_ERROR_MESSAGES)) expect(connectErrorMessage(code)).toBe(message);
  });
  test("anything else shows the generic text, never the value itself", () => {
    for (const junk of ["<script>alert(1)</script>", "Your account is suspended: call +1 555 0100", "toString", "__proto__", ""]) {
      const shown = connectErrorMessage(junk);
      expect(shown).toBe("The connection did not finish. Try connecting again.");
    }
  });
});

describe("HubSpot's per-second window", () => {
  test("Secondly-Remaining 0 defers only what is left of the rolling second, never a full one", () => {
    // Five searches 225 ms apart at a limit of 5: the window frees 1 s after the first of them.
    const sent = [10_000, 10_225, 10_450, 10_675, 10_900];
    expect(secondlyWindowLeftMs(sent, 5, 10_950)).toBe(50);
    // Older sends outside the window and sends beyond the limit do not stretch it.
    expect(secondlyWindowLeftMs([9_000, 9_500, ...sent], 5, 10_950)).toBe(50);
    expect(secondlyWindowLeftMs(sent, 2, 10_950)).toBe(1000 - 275);
    expect(secondlyWindowLeftMs([], 5, 10_950)).toBe(0);
  });
});
