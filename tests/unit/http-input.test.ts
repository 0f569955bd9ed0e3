import { describe, expect, it } from "vitest";
import { z } from "zod";
import { inputProblems, isResourceId, readJson, readQuery } from "@/lib/http";
import { runListQuerySchema } from "@/lib/runs/schemas";
import { previewQuerySchema } from "@/lib/schedules/schemas";

// The input checks every API handler shares (lib/http.ts): what reaches a schema, and what never does.

const jsonReq = (body: string | Uint8Array, type = "application/json") =>
  new Request("http://app.test/api/x", { method: "POST", headers: { "content-type": type }, body: body as BodyInit });
const code = async (p: Promise<unknown>) => p.then(() => "ok", (e: { code?: string }) => e.code ?? String(e));
const schema = z.strictObject({ name: z.string().optional(), frequency: z.object({ every: z.string() }).optional() });

describe("readJson", () => {
  it("refuses NUL and other control characters in any string or key, keeps tab and newline", async () => {
    expect(await code(readJson(jsonReq('{"name":"a\\u0000b"}'), schema))).toBe("validation_error");
    expect(await code(readJson(jsonReq('{"name":"a\\u0001b"}'), schema))).toBe("validation_error");
    expect(await code(readJson(jsonReq('{"frequency":{"every":"\\u001f"}}'), schema))).toBe("validation_error");
    expect(await code(readJson(jsonReq('{"na\\u0000me":"x"}'), schema))).toBe("validation_error");
    expect(await readJson(jsonReq('{"name":"line\\nnext\\ttab"}'), schema)).toEqual({ name: "line\nnext\ttab" });
  });

  it("refuses prototype keys at any depth, even where the schema would strip unknown keys", async () => {
    for (const key of ["__proto__", "constructor", "prototype"]) {
      expect(await code(readJson(jsonReq(`{"${key}":{"x":1}}`), schema)), key).toBe("validation_error");
      expect(await code(readJson(jsonReq(`{"frequency":{"every":"daily","${key}":1}}`), schema)), key).toBe("validation_error");
    }
  });

  it("refuses bad UTF-8 instead of storing U+FFFD, and deep nesting without a stack overflow", async () => {
    expect(await code(readJson(jsonReq(new Uint8Array([0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d])), schema))).toBe("invalid_json");
    expect(await code(readJson(jsonReq(`{"name":${"[".repeat(30000)}${"]".repeat(30000)}}`), schema))).toBe("validation_error");
  });
});

describe("readQuery", () => {
  const q = (qs: string, s: z.ZodType = runListQuerySchema) => {
    try {
      readQuery(new Request(`http://app.test/api/x?${qs}`), s);
      return "ok";
    } catch (e) {
      return (e as { code?: string; name?: string }).code ?? (e as Error).name;
    }
  };

  it("reads integers only in plain decimal digits", () => {
    expect(q("limit=16")).toBe("ok");
    for (const v of ["0x10", "1e1", "%2016", "16.0", "-1", "+5", "", "0b1", "Infinity", "99999999999"]) expect(q(`limit=${v}`), v).toBe("ZodError");
    expect(q("schedule=0+6+*+*+1&timezone=UTC&count=0x3", previewQuerySchema)).toBe("ZodError");
    expect(q("every=weekly&time=06:00&day_of_week=1e0&timezone=UTC", previewQuerySchema)).toBe("ZodError");
  });

  it("refuses prototype keys, NUL and a repeated parameter", () => {
    for (const qs of ["__proto__=1", "constructor=1", "prototype=1", "cursor=%00", "limit=1&limit=2"]) expect(q(qs), qs).toBe("validation_error");
  });
});

describe("inputProblems / isResourceId", () => {
  it("names each problem's path", () => {
    expect(inputProblems({ a: { b: ["ok", "x\u0000"] } })).toEqual([{ path: "a.b.1", message: expect.any(String), code: "invalid_string" }]);
  });

  it("accepts ids of the form the API hands out, nothing else", () => {
    expect(isResourceId("cmabc123def456ghi789")).toBe(true);
    for (const id of ["", "a\u0000", "a/b", "x".repeat(65), "ü", "..", "a b"]) expect(isResourceId(id), JSON.stringify(id)).toBe(false);
  });
});
