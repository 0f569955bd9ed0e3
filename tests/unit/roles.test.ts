import { describe, expect, it } from "vitest";
import { asRole, roleAllows } from "@/lib/roles";

describe("asRole", () => {
  it("reads Clerk's role keys however often they are prefixed", () => {
    expect(asRole("admin")).toBe("admin");
    expect(asRole("org:admin")).toBe("admin");
    // Clerk's parser prefixes o.rol itself: o.rol "org:admin" arrives as "org:org:admin".
    expect(asRole("org:org:admin")).toBe("admin");
    expect(asRole("org:member")).toBe("member");
    expect(asRole("org:org:member")).toBe("member");
  });

  it("anything else is the lesser role", () => {
    for (const claim of [undefined, null, 1, "", "org:", "administrator", "org:billing", "xorg:admin"]) expect(asRole(claim)).toBe("member");
  });

  it("admins may do what members may; members not what admins may", () => {
    expect(roleAllows("admin", "admin")).toBe(true);
    expect(roleAllows("member", "member")).toBe(true);
    expect(roleAllows("member", "admin")).toBe(false);
  });
});
