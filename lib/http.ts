import { NextResponse } from "next/server";
import { z, ZodError } from "zod";
import { currentTenant, type Tenant } from "@/lib/auth";
import { log } from "@/lib/log";

export type ErrorBody = { error: { code: string; message: string; details?: unknown } };

/** An expected failure with its HTTP status; anything else becomes a logged 500. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const notFound = (what = "Resource") => new ApiError(404, "not_found", `${what} not found`);

export function errorResponse(status: number, code: string, message: string, details?: unknown) {
  const body: ErrorBody = { error: { code, message, ...(details === undefined ? {} : { details }) } };
  return NextResponse.json(body, { status });
}

export function zodDetails(err: ZodError) {
  return err.issues.map((i) => ({ path: i.path.join("."), message: i.message, code: i.code }));
}

export function toErrorResponse(err: unknown, context: Record<string, unknown> = {}) {
  if (err instanceof ApiError) return errorResponse(err.status, err.code, err.message, err.details);
  if (err instanceof ZodError) return errorResponse(400, "validation_error", "The request is invalid", zodDetails(err));
  log.error({ err, ...context }, "unhandled error in API handler");
  return errorResponse(500, "internal_error", "Something went wrong on our side");
}

export const MAX_BODY_BYTES = 64 * 1024;

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
      throw new ApiError(413, "payload_too_large", `Body exceeds ${limit} bytes`);
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
  if (!/^application\/json\b/i.test(type))
    throw new ApiError(415, "unsupported_media_type", "Send the body as application/json");
  const declared = Number(req.headers.get("content-length") ?? 0);
  if (declared > MAX_BODY_BYTES) throw new ApiError(413, "payload_too_large", `Body exceeds ${MAX_BODY_BYTES} bytes`);
  const buf = await readLimited(req, MAX_BODY_BYTES);
  let data: unknown;
  try {
    data = JSON.parse(new TextDecoder().decode(buf));
  } catch {
    throw new ApiError(400, "invalid_json", "The body is not valid JSON");
  }
  if (typeof data !== "object" || data === null || Array.isArray(data))
    throw new ApiError(400, "invalid_body", "The body must be a JSON object");
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
      if (!tenant) return errorResponse(401, "unauthorized", "Sign in or send a valid Bearer token");
      return await handler({ req, tenant, params: await route.params });
    } catch (err) {
      return toErrorResponse(err, { method: req.method, url: req.url });
    }
  };
}

export function json(data: unknown, status = 200) {
  return NextResponse.json(data, { status });
}
