// A crafted findings cursor is a 400 invalid_cursor, never a value Postgres refuses (a NUL in text is a 500).
import { describe, expect, test } from "vitest";
import { decodeFindingsCursor } from "@/lib/runs/findings-page";

const cursor = (parts: unknown) => Buffer.from(JSON.stringify(parts)).toString("base64url");

describe("decodeFindingsCursor", () => {
  test("a cursor the API issues decodes", () => {
    expect(decodeFindingsCursor(cursor(["deal_1", "stale_deal", "f_1"]))).toEqual({ dealId: "deal_1", rule: "stale_deal", id: "f_1" });
  });

  test.each([["\u0000"], ["a\u0001b"], ["\u001f"], ["\u007f"], ["line\nbreak"]])("control characters (%j) are invalid_cursor", (bad) => {
    expect(() => decodeFindingsCursor(cursor([bad, "a", "b"]))).toThrow(expect.objectContaining({ code: "invalid_cursor" }));
    expect(() => decodeFindingsCursor(cursor(["a", "b", bad]))).toThrow(expect.objectContaining({ code: "invalid_cursor" }));
  });

  test("garbage and wrong shapes are invalid_cursor", () => {
    for (const c of ["%%%", cursor(["a", "b"]), cursor([1, "b", "c"]), cursor(["x".repeat(201), "b", "c"])])
      expect(() => decodeFindingsCursor(c)).toThrow(expect.objectContaining({ code: "invalid_cursor" }));
  });
});
