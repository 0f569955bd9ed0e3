import { describe, expect, it } from "vitest";
import { systemDb } from "@/lib/db";
import { api } from "../support/api";
import { A, B, createScheduleAs, freshConnectionFor } from "../support/schedules";

// GET /api/scheduled-reviews is keyset-paged (limit, cursor, next_cursor); its plan at scale is in list-plans.test.ts.

const base = "/api/scheduled-reviews";
const connA = freshConnectionFor(A);

describe("the schedule list's pages", () => {
  it("pages the list newest first with limit and next_cursor; a bad cursor or limit is 400 and another tenant's rows never show", async () => {
    const created = [];
    for (const name of ["page one", "page two", "page three"]) created.push(await createScheduleAs(A, connA(), { name }));
    const all: string[] = (await systemDb().scheduledReview.findMany({ where: { ownerId: A.userId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: { id: true } })).map((r) => r.id);
    expect(all.slice(0, 3)).toEqual(created.map((c) => c.id).reverse());
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await api("GET", `${base}?limit=2${cursor ? `&cursor=${cursor}` : ""}`, A);
      expect(page.status).toBe(200);
      expect(page.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.data.map((x: { id: string }) => x.id));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(all);
    expect((await api("GET", `${base}?limit=2`, B)).body).toEqual({ data: [], next_cursor: null });
    expect((await api("GET", `${base}?cursor=not-a-cursor`, A)).body.error.code).toBe("invalid_cursor");
    for (const q of ["limit=0", "limit=101", "limit=x", "color=red"]) expect((await api("GET", `${base}?${q}`, A)).status).toBe(400);
  });
});
