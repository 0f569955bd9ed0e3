// withAuth's default role: a route that declares none serves reads to members and writes to admins only.
import { describe, expect, it, vi } from "vitest";
import type { Tenant } from "@/lib/auth";

const session: { tenant: Tenant } = { tenant: { ownerId: "org_a", userId: "user_m", orgId: "org_a", plan: "team", role: "member" } };
vi.mock("@/lib/auth", async (importOriginal) => ({ ...(await importOriginal<object>()), currentTenant: async () => session.tenant }));
const { withAuth } = await import("@/lib/http");

const route = { params: Promise.resolve({} as Record<string, never>) };
type Handler = (req: Request, ctx: typeof route) => Promise<Response>;
const call = (handler: Handler, method: string) => handler(new Request("http://localhost/api/thing", { method }), route);
const undeclared = withAuth(async () => new Response("ok"));

describe("withAuth without a declared role", () => {
  it("answers a member's read", async () => {
    expect((await call(undeclared, "GET")).status).toBe(200);
  });

  it("refuses a member's write with 403 forbidden naming the admin role", async () => {
    for (const method of ["POST", "PATCH", "PUT", "DELETE"]) {
      const res = await call(undeclared, method);
      expect(res.status, method).toBe(403);
      expect(await res.json()).toMatchObject({ error: { code: "forbidden", details: { required_role: "admin", role: "member" } } });
    }
  });

  it("lets a write declared member-level through, and an admin through an undeclared one", async () => {
    expect((await call(withAuth(async () => new Response("ok"), { role: "member" }), "POST")).status).toBe(200);
    session.tenant = { ...session.tenant, role: "admin" };
    expect((await call(undeclared, "POST")).status).toBe(200);
  });
});
