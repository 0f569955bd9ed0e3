import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { buildOpenApiDocument, errorBodySchema, OPERATIONS, type OperationSpec } from "@/lib/openapi";

const doc = buildOpenApiDocument();
const API_DIR = path.resolve(import.meta.dirname, "../../app/api");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

type Operation = {
  operationId: string;
  security: unknown[];
  parameters?: { name: string; in: string; required: boolean }[];
  requestBody?: unknown;
  responses: Record<string, unknown>;
};
const operations = () =>
  Object.entries(doc.paths).flatMap(([p, ops]) => Object.entries(ops).map(([method, op]) => ({ path: p, method, op: op as Operation })));

/** Every app/api/** route file as an OpenAPI path with the HTTP methods it exports. */
function routeFiles(dir = API_DIR): { path: string; methods: string[] }[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return routeFiles(full);
    // The catch-all (app/api/[[...unknown]]) only answers 404 for paths no route claims: not an operation.
    if (!/^route\.(ts|tsx|js)$/.test(e.name) || dir.includes("[...")) return [];
    const src = fs.readFileSync(full, "utf8");
    const methods = METHODS.filter((m) =>
      new RegExp(`export\\s+(const|(async\\s+)?function)\\s+${m}\\b|export\\s+const\\s*\\{[^}]*\\b${m}\\b[^}]*\\}`).test(src),
    );
    const route = path.relative(path.resolve(API_DIR, ".."), dir).split(path.sep).join("/");
    return [{ path: `/${route}`.replace(/\[(\w+)\]/g, "{$1}"), methods: methods.map((m) => m.toLowerCase()) }];
  });
}

describe("OpenAPI document", () => {
  it("is an OpenAPI 3.1 document with info, paths and bearer auth", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info.title).toBeTruthy();
    expect(doc.info.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(Object.keys(doc.paths).length).toBeGreaterThan(5);
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    expect(() => JSON.parse(JSON.stringify(doc))).not.toThrow();
  });

  it("documents every route file under app/api with every method it exports", () => {
    const files = routeFiles();
    expect(files.map((f) => f.path)).toContain("/api/scheduled-reviews/{id}");
    for (const file of files) {
      expect(file.methods.length, `${file.path} exports no HTTP method`).toBeGreaterThan(0);
      for (const method of file.methods) {
        expect(doc.paths[file.path]?.[method], `${method.toUpperCase()} ${file.path} is not in lib/openapi.ts`).toBeDefined();
      }
    }
  });

  it("declares the organization role of every mutating operation, and admin-only routes enforce it (403 documented)", () => {
    const undeclared = OPERATIONS.filter((o) => o.method !== "get" && o.auth !== "none" && !o.role).map((o) => `${o.method} ${o.path}`);
    expect(undeclared, "add role: \"admin\" or \"member\" to these OPERATIONS entries (and the same to their withAuth)").toEqual([]);
    for (const op of OPERATIONS.filter((o) => o.role === "admin")) {
      const file = path.join(API_DIR, "..", op.path.replace(/\{(\w+)\}/g, "[$1]"), "route.ts");
      expect(fs.readFileSync(file, "utf8"), `${file} passes { role: "admin" } to withAuth`).toMatch(/role:\s*"admin"/);
      const documented = doc.paths[op.path]?.[op.method] as { responses: Record<string, unknown>; "x-required-role"?: string };
      expect(documented["x-required-role"]).toBe("admin");
      expect(JSON.stringify(documented.responses["403"])).toContain("forbidden");
    }
  });

  it("documents the agreed routes even before their handlers land", () => {
    const expected = [
      ["get", "/api/scheduled-reviews"], ["post", "/api/scheduled-reviews"], ["get", "/api/scheduled-reviews/{id}"],
      ["patch", "/api/scheduled-reviews/{id}"], ["delete", "/api/scheduled-reviews/{id}"], ["get", "/api/scheduled-reviews/preview"],
      ["post", "/api/scheduled-reviews/{id}/run-now"], ["get", "/api/scheduled-reviews/{id}/runs"], ["get", "/api/runs/{id}"],
      ["get", "/api/crm-connections"], ["get", "/api/me"], ["get", "/api/health"],
    ];
    for (const [method, p] of expected) expect(doc.paths[p!]?.[method!], `${method} ${p}`).toBeDefined();
  });

  it("has the error schema in components, and every $ref resolves", () => {
    const fromZod = z.toJSONSchema(errorBodySchema, { target: "draft-2020-12" });
    expect(doc.components.schemas.Error).toMatchObject({ type: "object", properties: fromZod.properties });
    expect(doc.components.schemas.Error).toMatchObject({ properties: { error: { required: ["code", "message"] } } });
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/(schemas|responses)\/([^"]+)"/g)];
    expect(refs.length).toBeGreaterThan(10);
    for (const [, kind, name] of refs) expect(doc.components[kind as "schemas" | "responses"], `${kind}/${name}`).toHaveProperty(name!);
  });

  it("gives each operation a unique id, a success response and the errors its inputs imply", () => {
    const ids = operations().map((o) => o.op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { path: p, method, op } of operations()) {
      expect(Object.keys(op.responses).some((s) => /^2\d\d$/.test(s)), `${method} ${p}`).toBe(true);
      expect(op.responses["500"]).toBeDefined();
      if (op.security.length) expect(op.responses["401"], `${method} ${p}`).toBeDefined();
      if (op.requestBody) expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(["400", "413", "415"]));
      for (const name of [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))
        expect(op.parameters).toContainEqual(expect.objectContaining({ name, in: "path", required: true }));
    }
  });

  it("derives request and response schemas from the zod contract", () => {
    const create = doc.components.schemas.CreateScheduledReview as { properties: Record<string, unknown>; required: string[]; additionalProperties: boolean };
    expect(create.additionalProperties).toBe(false); // unknown fields are rejected, and documented as such
    expect(create.required).toEqual(expect.arrayContaining(["name", "crm_connection_id", "timezone"]));
    expect(create.required).not.toContain("is_active"); // has a default: optional for clients
    expect(create.properties.name).toMatchObject({ minLength: 1, maxLength: 120 });
    expect(create.properties.email_recipients).toMatchObject({ maxItems: 50 });
    const scheduleDoc = doc.components.schemas.ScheduledReview as { required: string[] };
    expect(scheduleDoc.required).toEqual(expect.arrayContaining(["next_run_at", "next_runs", "schedule_description", "last_run"]));
    const preview = doc.paths["/api/scheduled-reviews/preview"]!.get as Operation;
    expect(preview.parameters).toContainEqual(expect.objectContaining({ name: "timezone", in: "query", required: true }));
    expect(preview.parameters).toContainEqual(expect.objectContaining({ name: "schedule", in: "query", required: false }));
  });

  it("documents plan gating and public endpoints", () => {
    expect((doc.paths["/api/scheduled-reviews"]!.post as Operation).responses["402"]).toBeDefined();
    expect((doc.paths["/api/scheduled-reviews/{id}"]!.patch as Operation).responses["402"]).toBeDefined();
    expect((doc.paths["/api/openapi.json"]!.get as Operation).security).toEqual([]);
    expect((doc.paths["/api/health"]!.get as Operation).security).toEqual([]);
  });

  it("refuses two different schemas under one name", () => {
    const op = (id: string, schema: z.ZodType): OperationSpec => ({
      method: "get", path: `/x/${id}`, operationId: id, summary: "", tag: "system",
      responses: { 200: { description: "", body: { name: "A", schema } } },
    });
    const twice = [op("one", z.object({ a: z.string() })), op("two", z.object({ b: z.string() }))];
    expect(() => buildOpenApiDocument(twice)).toThrow(/two different schemas named A/);
  });
});
