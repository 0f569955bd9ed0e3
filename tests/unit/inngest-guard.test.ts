import { describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { functions } from "@/inngest/index";
import { inngest } from "@/inngest/client";
import { guardInngestPost, guardInngestPut, servedFunctionIds } from "@/lib/inngest-guard";

// The 4xx gate in front of the Inngest SDK: junk is refused, every request the executor sends passes,
// onFailure handlers ("<id>-failure") included, with its body bytes unchanged.

const envelope = JSON.stringify({ event: { name: "x", data: {} }, events: [], steps: {}, version: 2, ctx: { run_id: "r1", attempt: 0, stack: { stack: [], current: 0 } } });

function spy() {
  const seen: { url: string; body: string }[] = [];
  const handler = async (req: NextRequest) => {
    seen.push({ url: req.url, body: await req.text() });
    return new Response("{}", { status: 206 });
  };
  return { seen, handler };
}

const post = (query: string, body: string) =>
  new NextRequest(`http://app.test/api/inngest${query}`, { method: "POST", headers: { "content-type": "application/json" }, body });

describe("inngest guard", () => {
  it("serves each function and its onFailure handler", () => {
    const ids = servedFunctionIds(functions, inngest.id);
    expect(ids).toContain("revwatch-run-review");
    expect(ids).toContain("revwatch-run-review-failure");
    expect(ids).not.toContain("revwatch-dispatch-due-reviews-failure");
  });

  it("passes the executor's requests through unchanged (the SDK's own 206/500 answers stand)", async () => {
    const { seen, handler } = spy();
    const guarded = guardInngestPost(handler, servedFunctionIds(functions, inngest.id));
    for (const fnId of ["revwatch-run-review", "revwatch-run-review-failure"]) {
      const res = await guarded(post(`?fnId=${fnId}&stepId=step`, envelope), undefined);
      expect(res.status).toBe(206);
    }
    expect((await guarded(post("?probe=trust", ""), undefined)).status).toBe(206);
    expect(seen.map((s) => s.body)).toEqual([envelope, envelope, ""]);
  });

  it("refuses junk with a 4xx in the error shape, without calling the SDK", async () => {
    const { seen, handler } = spy();
    const guarded = guardInngestPost(handler, servedFunctionIds(functions, inngest.id));
    const cases: [string, string, number][] = [
      ["", envelope, 404], ["?fnId=nope", envelope, 404], ["?fnId=revwatch-dispatch-due-reviews-failure", envelope, 404],
      ["?fnId=revwatch-run-review", "garbage", 400], ["?fnId=revwatch-run-review", "{}", 400], ["?probe=nope", "", 400],
      ["?fnId=revwatch-run-review", JSON.stringify({ event: {}, version: 0, ctx: { run_id: "r" } }), 400],
    ];
    for (const [query, body, status] of cases) {
      const res = await guarded(post(query, body), undefined);
      expect(res.status, `${query} ${body}`).toBe(status);
      expect(await res.json()).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
    }
    const put = await guardInngestPut(handler)(new NextRequest("http://app.test/api/inngest", { method: "PUT", body: "garbage" }), undefined);
    expect(put.status).toBe(400);
    expect(seen).toEqual([]);
  });
});
