// Roles inside an organization (Clerk's org role). Client-safe: pages use it to disable what a role cannot do.
// Members read, run now and replay; admins also create, change and delete. A personal workspace (no
// organization) is its owner's alone: the owner is its admin.
export type Role = "admin" | "member";
export const ROLES = ["admin", "member"] as const satisfies readonly Role[];

/**
 * The role a session claim names: Clerk sends "org:admin" / "org:member" (session token v2 `o.rol`
 * may carry the bare key); anything else in an organization reads as the lesser role.
 */
export function asRole(claim: unknown): Role {
  const key = typeof claim === "string" ? claim.replace(/^(org:)+/, "") : "";
  return key === "admin" ? "admin" : "member";
}

export const roleAllows = (role: Role, needed: Role): boolean => needed === "member" || role === "admin";

/** What the UI says next to a control the role cannot use. */
export const ADMIN_ONLY_REASON = "Only organization admins can do this; your role is member";
