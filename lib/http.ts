import "server-only";
import { NextResponse } from "next/server";
import { z, ZodError } from "zod";
import { currentTenant, type Tenant } from "@/lib/auth";
import { roleAllows, type Role } from "@/lib/roles";
import { AppError, type ErrorCode } from "@/lib/errors";
import { RESOURCE_ID } from "@/lib/format";
import { log } from "@/lib/log";

/** The one place an error code becomes an HTTP status (the OpenAPI document reads it too). */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  validation_error: 400,
  invalid_json: 400,
  invalid_body: 400,
  invalid_cursor: 400,
  unauthorized: 401,
  plan_required: 402,
  plan_limit: 402,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  run_in_progress: 409,
  run_not_failed: 409,
  payload_too_large: 413,
  idempotency_key_reused: 422,
  unsupported_media_type: 415,
  rate_limited: 429,
  oauth_state_invalid: 400,
  crm_not_configured: 409,
  connection_in_use: 409,
  internal_error: 500,
  crm_unreachable: 502,
  executor_unreachable: 503,
};

export type ErrorBody = { error: { code: ErrorCode; message: string; details?: unknown } };

export function errorResponse(code: ErrorCode, message: string, details?: unknown) {
  const body: ErrorBody = { error: { code, message, ...(details === undefined ? {} : { details }) } };
  const res = NextResponse.json(body, { status: HTTP_STATUS[code] });
  const retryAfter = (details as { retry_after_seconds?: unknown } | undefined)?.retry_after_seconds;
  if (code === "rate_limited" && typeof retryAfter === "number") res.headers.set("Retry-After", String(retryAfter));
  return res;
}

export function zodDetails(err: ZodError) {
  return err.issues.map((i) => ({ path: i.path.join("."), message: i.message, code: i.code }));
}

export function toErrorResponse(err: unknown, context: Record<string, unknown> = {}) {
  if (err instanceof AppError) return errorResponse(err.code, err.message, err.details);
  if (err instanceof ZodError) return errorResponse("validation_error", "The request is invalid", zodDetails(err));
  log.error({ err, ...context }, "unhandled error in API handler");
  return errorResponse("internal_error", "Something went wrong on our side");
}

export const MAX_BODY_BYTES = 64 * 1024;
const tooLarge = (limit = MAX_BODY_BYTES) => new AppError("payload_too_large", `Body exceeds ${limit} bytes`);

/** Reads at most `limit` bytes: a chunked body without Content-Length is cut off, not buffered whole. */
export async function readLimited(req: Request, limit: number): Promise<Uint8Array> {
  if (!req.body) return new Uint8Array();
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

// Keys that would reach Object.prototype if code ever merged the input into an object.
const PROTOTYPE_KEYS = new Set(["__proto__", "constructor", "prototype"]);
// NUL is refused by PostgreSQL in text (a 500 if it got there); other C0 controls and DEL have no
// place in names, emails, cron or URLs. Tab, newline and carriage return stay allowed (descriptions).
const CONTROL_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

type InputProblem = { path: string; message: string; code: string };
const MAX_DEPTH = 16;

/**
 * Problems no schema should have to think about, anywhere in a parsed input: prototype keys and control
 * characters in keys or strings, nesting beyond MAX_DEPTH (no schema here goes deeper; a 64 KiB body of
 * brackets would otherwise cost a deep walk).
 */
export function inputProblems(input: unknown): InputProblem[] {
  const problems: InputProblem[] = [];
  const todo: [unknown, string[]][] = [[input, []]];
  while (todo.length && problems.length < 20) {
    const [value, path] = todo.pop()!;
    if (typeof value === "string") {
      if (CONTROL_CHARS.test(value)) problems.push({ path: path.join("."), message: "Control characters are not allowed", code: "invalid_string" });
    } else if (typeof value === "object" && value !== null) {
      if (path.length >= MAX_DEPTH) {
        problems.push({ path: path.join("."), message: `Nested deeper than ${MAX_DEPTH} levels`, code: "too_big" });
        continue;
      }
      for (const [key, v] of Object.entries(value)) {
        const at = [...path, key].join(".");
        if (PROTOTYPE_KEYS.has(key)) problems.push({ path: at, message: `"${key}" is not an allowed key`, code: "unrecognized_keys" });
        else if (CONTROL_CHARS.test(key)) problems.push({ path: path.join("."), message: "Control characters are not allowed in keys", code: "invalid_string" });
        else todo.push([v, [...path, key]]);
      }
    }
  }
  return problems;
}

function assertCleanInput(value: unknown) {
  const problems = inputProblems(value);
  if (problems.length) throw new AppError("validation_error", "The request is invalid", problems);
}

/** Reads a JSON object body: content type, size (at most `limit` bytes) and shape are checked before the schema. */
export async function readJson<S extends z.ZodType>(req: Request, schema: S, limit = MAX_BODY_BYTES): Promise<z.infer<S>> {
  const type = req.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) throw new AppError("unsupported_media_type", "Send the body as application/json");
  const declared = Number(req.headers.get("content-length") ?? 0);
  if (declared > limit) throw tooLarge(limit);
  const buf = await readLimited(req, limit);
  let data: unknown;
  try {
    // fatal: bad UTF-8 is refused rather than silently turned into U+FFFD and stored.
    data = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(buf));
  } catch {
    throw new AppError("invalid_json", "The body is not valid UTF-8 JSON");
  }
  if (typeof data !== "object" || data === null || Array.isArray(data))
    throw new AppError("invalid_body", "The body must be a JSON object");
  assertCleanInput(data);
  return schema.parse(data);
}

/** Query parameters, each at most once (a repeated key is ambiguous, not "the last one wins"). */
export function readQuery<S extends z.ZodType>(req: Request, schema: S): z.infer<S> {
  const query: Record<string, string> = Object.create(null);
  const repeated: string[] = [];
  for (const [key, value] of new URL(req.url).searchParams) {
    if (key in query) repeated.push(key);
    query[key] = value;
  }
  if (repeated.length)
    throw new AppError("validation_error", "The request is invalid", repeated.map((k) => ({ path: k, message: "Give this parameter at most once", code: "invalid_type" })));
  assertCleanInput(query);
  return schema.parse({ ...query });
}

/** Every id this API hands out (cuid) fits; anything else cannot name a resource and answers 404. */
export const isResourceId = (id: unknown): id is string => typeof id === "string" && RESOURCE_ID.test(id);

type RouteCtx<P> = { params: Promise<P> };
export type AuthedCtx<P> = { req: Request; tenant: Tenant; params: P };

/** The role an operation needs (lib/openapi.ts declares the same on its OPERATIONS entry). */
export type AuthOptions = { role: Role };

export const forbiddenFor = (needed: Role, tenant: Tenant) =>
  errorResponse("forbidden", `This needs the ${needed} role in the organization; your role is ${tenant.role}`, { required_role: needed, role: tenant.role });

/**
 * Every API handler goes through here: 401 JSON without a verified session, 403 when the organization
 * role is below `options.role`, errors as JSON. Without options a read needs member (every signed-in
 * tenant) and a write needs admin, so a route that forgets to declare its role never opens a write to members.
 */
export function withAuth<P = Record<string, never>>(handler: (ctx: AuthedCtx<P>) => Promise<Response>, options?: AuthOptions) {
  return async (req: Request, route: RouteCtx<P>): Promise<Response> => {
    try {
      const tenant = await currentTenant();
      if (!tenant) return errorResponse("unauthorized", "Sign in or send a valid Bearer token");
      const needed: Role = options?.role ?? (req.method === "GET" || req.method === "HEAD" ? "member" : "admin");
      if (!roleAllows(tenant.role, needed)) return forbiddenFor(needed, tenant);
      const params = await route.params;
      // Path params are ids: a malformed one (NUL, too long) is no resource, not a database error.
      if (params && !Object.values(params).every(isResourceId)) return errorResponse("not_found", "Resource not found");
      return await handler({ req, tenant, params });
    } catch (err) {
      return toErrorResponse(err, { method: req.method, url: req.url });
    }
  };
}

export function json(data: unknown, status = 200) {
  return NextResponse.json(data, { status });
}
