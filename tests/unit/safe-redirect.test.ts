import { describe, expect, it } from "vitest";
import { safeRedirectPath } from "@/lib/safe-redirect";

describe("safeRedirectPath", () => {
  it.each(["/schedule", "/schedule/abc?x=1#y", "/runs/1"])("keeps the same-site path %s", (p) => {
    expect(safeRedirectPath(p)).toBe(p);
  });

  it.each(["/..//evil.com", "/./..//evil.com", "/a/../..//evil.com", "/%2e%2e//evil.com", "//evil.com", "/\\evil.com", "/\t/evil.com", "https://evil.com", "evil.com", "", undefined, "/%0a/evil"])(
    "refuses %j",
    (p) => {
      const out = safeRedirectPath(p);
      expect(new URL(out, "http://app.test").origin).toBe("http://app.test");
      if (p && /evil/.test(p) && !p.startsWith("/%")) expect(out).toBe("/schedule");
    },
  );
});
