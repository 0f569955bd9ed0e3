import "server-only";
import { NextResponse } from "next/server";
import { z, ZodError } from "zod";
import { currentTenant, type Tenant } from "@/lib/auth";
import { AppError, type ErrorCode } from "@/lib/errors";
import { log } from "@/lib/log";

/** The one place an error code becomes an HTTP status (the OpenAPI document reads it too). */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  validation_error: 400,
  invalid_json: 400,
  invalid_body: 400,
  invalid_cursor: 400,
  unauthorized: 401,
  plan_required: 402,
  not_found: 404,
  conflict: 409,
  run_in_progress: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal_error: 500,
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
const tooLarge = () => new AppError("payload_too_large", `Body exceeds ${MAX_BODY_BYTES} bytes`);

/** Reads at most `limit` bytes: a chunked body without Content-Length is cut off, not buffered whole. */
async function readLimited(req: Request, limit: number): Promise<Uint8Array> {
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
      throw tooLarge();
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

/** Reads a JSON object body: content type, size and shape are checked before the schema. */
export async function readJson<S extends z.ZodType>(req: Request, schema: S): Promise<z.infer<S>> {
  const type = req.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) throw new AppError("unsupported_media_type", "Send the body as application/json");
  const declared = Number(req.headers.get("content-length") ?? 0);
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  const buf = await readLimited(req, MAX_BODY_BYTES);
  let data: unknown;
  try {
    data = JSON.parse(new TextDecoder().decode(buf));
  } catch {
    throw new AppError("invalid_json", "The body is not valid JSON");
  }
  if (typeof data !== "object" || data === null || Array.isArray(data))
    throw new AppError("invalid_body", "The body must be a JSON object");
  return schema.parse(data);
}

export function readQuery<S extends z.ZodType>(req: Request, schema: S): z.infer<S> {
  return schema.parse(Object.fromEntries(new URL(req.url).searchParams));
}

type RouteCtx<P> = { params: Promise<P> };
export type AuthedCtx<P> = { req: Request; tenant: Tenant; params: P };

/** Every API handler goes through here: 401 JSON without a verified session, errors as JSON. */
export function withAuth<P = Record<string, never>>(handler: (ctx: AuthedCtx<P>) => Promise<Response>) {
  return async (req: Request, route: RouteCtx<P>): Promise<Response> => {
    try {
      const tenant = await currentTenant();
      if (!tenant) return errorResponse("unauthorized", "Sign in or send a valid Bearer token");
      return await handler({ req, tenant, params: await route.params });
    } catch (err) {
      return toErrorResponse(err, { method: req.method, url: req.url });
    }
  };
}

export function json(data: unknown, status = 200) {
  return NextResponse.json(data, { status });
}
