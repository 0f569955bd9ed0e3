"use server";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { RESOURCE_ID } from "@/lib/format";
import { ensureDemoConnection } from "@/lib/crm/connections";
import { mintSessionToken } from "@/lib/dev-auth";
import { devToolsAllowed } from "@/lib/env";
import { PLANS } from "@/lib/plans";
import { ROLES } from "@/lib/roles";
import { safeRedirectPath } from "@/lib/safe-redirect";

const id = z.string().regex(RESOURCE_ID);
const form = z.object({
  user_id: id,
  org_id: z.union([id, z.literal("")]).optional(),
  plan: z.enum(PLANS),
  role: z.enum(ROLES).optional(),
  redirect_url: z.string().max(2048).optional(),
});

/** Sets the same cookies Clerk's frontend would, holding a token signed by the development key. */
export async function signInLocally(data: FormData) {
  if (!devToolsAllowed()) throw new Error("local sign-in is refused when NODE_ENV=production");
  const parsed = form.safeParse(Object.fromEntries(data));
  if (!parsed.success) redirect("/sign-in?error=" + encodeURIComponent("Use letters, digits, _ or - for ids"));
  const { user_id, org_id, plan, role, redirect_url } = parsed.data;
  const token = mintSessionToken({ userId: user_id, orgId: org_id || undefined, plan, orgRole: role });
  // Local sign-in is also sign-up: a new tenant starts with the Demo CRM (idempotent for returning ones).
  await ensureDemoConnection(org_id || user_id);
  const iat = JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString()).iat as number;
  const jar = await cookies();
  const opts = { path: "/", httpOnly: false, sameSite: "lax" as const, maxAge: 30 * 24 * 3600 };
  jar.set("__session", token, { ...opts, httpOnly: true });
  jar.set("__client_uat", String(iat), opts);
  redirect(safeRedirectPath(redirect_url));
}
