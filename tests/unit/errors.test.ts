// Domain error codes (lib/errors.ts), their one HTTP mapping (lib/http.ts), and the OpenAPI
// error responses generated from the same table.
import { describe, expect, it } from "vitest";
import { AppError, ERROR_CODES, isNotFound, notFound, type ErrorCode } from "@/lib/errors";
import { HTTP_STATUS, toErrorResponse } from "@/lib/http";
import { buildOpenApiDocument } from "@/lib/openapi";

type ErrorResponse = { description: string; content: { "application/json": { schema: { allOf: { properties?: { error: { properties: { code: { enum: string[] } } } } }[] } } } };
const doc = buildOpenApiDocument();
const op = (path: string, method: string) => (doc.paths[path] as Record<string, { responses: Record<string, ErrorResponse> }>)[method]!;
const codesAt = (r: ErrorResponse) => r.content["application/json"].schema.allOf[1]!.properties!.error.properties.code.enum;

describe("error codes", () => {
  it("maps every code to a 4xx/5xx status, and only the codes of lib/errors.ts", () => {
    expect(Object.keys(HTTP_STATUS).sort()).toEqual(Object.keys(ERROR_CODES).sort());
    for (const status of Object.values(HTTP_STATUS)) expect(status).toBeGreaterThanOrEqual(400);
  });

  it("turns a domain error into its status and the error shape", async () => {
    const res = toErrorResponse(new AppError("run_in_progress", "busy", { run_id: "r1" }));
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({ error: { code: "run_in_progress", message: "busy", details: { run_id: "r1" } } });
    const limited = toErrorResponse(new AppError("rate_limited", "slow down", { retry_after_seconds: 7 }));
    expect([limited.status, limited.headers.get("retry-after")]).toEqual([429, "7"]);
    expect(isNotFound(notFound("Run"))).toBe(true);
    expect(isNotFound(new AppError("conflict", "x"))).toBe(false);
  });
});

describe("OpenAPI error responses come from the same table", () => {
  it("documents both 409 codes of PATCH (conflict) and of run-now (run_in_progress) with their meaning", () => {
    const patch409 = op("/api/scheduled-reviews/{id}", "patch").responses["409"]!;
    expect(codesAt(patch409)).toEqual(["conflict"]);
    expect(patch409.description).toContain(ERROR_CODES.conflict);
    expect(codesAt(op("/api/scheduled-reviews/{id}/run-now", "post").responses["409"]!)).toEqual(["run_in_progress"]);
  });

  it("lists each operation's codes under the status lib/http.ts gives them", () => {
    for (const [path, ops] of Object.entries(doc.paths))
      for (const [method, o] of Object.entries(ops as Record<string, { responses: Record<string, ErrorResponse> }>))
        for (const [status, r] of Object.entries(o.responses)) {
          if (Number(status) < 400 || !r.content?.["application/json"].schema.allOf) continue; // e.g. health's own 503 body
          for (const code of codesAt(r)) expect(HTTP_STATUS[code as ErrorCode], `${method} ${path} ${status} ${code}`).toBe(Number(status));
        }
    expect(codesAt(op("/api/scheduled-reviews", "post").responses["400"]!)).toEqual(["validation_error", "invalid_json", "invalid_body"]);
  });
});
