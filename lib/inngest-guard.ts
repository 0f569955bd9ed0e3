import "server-only";
import type { InngestFunction } from "inngest";
import { NextRequest } from "next/server";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { readLimited, toErrorResponse } from "@/lib/http";

// The Inngest SDK answers junk (no or unknown fnId, a body that is not the executor's envelope, bad JSON)
// with a 500, and in dev mode with its stack trace. Those requests are refused here with a 4xx in the
// API's error shape. Requests that do look like the executor's pass through untouched: the protocol's
// own 500/206 answers (step errors, retries) are what the executor relies on.

/** Executor calls carry every step's saved output; Inngest caps a run's state far below this. */
const MAX_EXECUTOR_BODY = 16 * 1024 * 1024;

// What the SDK parses before running a function (inngest 4, helpers/functions.ts parseFnData); pinned with the SDK.
const executorEnvelope = z.looseObject({
  version: z.union([z.literal(-1), z.literal(1), z.literal(2)]).optional(),
  event: z.record(z.string(), z.unknown()),
  events: z.array(z.record(z.string(), z.unknown())).optional(),
  steps: z.record(z.string(), z.unknown()).optional(),
  defers: z.record(z.string(), z.looseObject({ abortable: z.boolean().optional() })).optional(),
  ctx: z
    .looseObject({
      run_id: z.string(),
      fn_id: z.string().optional(),
      attempt: z.number().optional(),
      max_attempts: z.number().optional(),
      disable_immediate_execution: z.boolean().optional(),
      use_api: z.boolean().optional(),
      qi_id: z.string().optional(),
      stack: z.looseObject({ stack: z.array(z.string()).nullable(), current: z.number() }).nullable().optional(),
    })
    .nullable()
    .optional(),
});

type Handler = (req: NextRequest, res: unknown) => Promise<Response>;

/** The SDK's InngestFunction.failureSuffix (a static the package does not export at run time; pinned with the SDK). */
const FAILURE_SUFFIX = "-failure";

/** Every fnId the SDK serves: each function's, and its onFailure handler's (a function of its own, "<id>-failure"). */
export function servedFunctionIds(functions: readonly InngestFunction.Any[], appId: string): string[] {
  return functions.flatMap((f) => {
    const id = f.id(appId);
    return f.opts.onFailure ? [id, `${id}${FAILURE_SUFFIX}`] : [id];
  });
}

async function readJsonBytes(req: Request): Promise<{ bytes: Uint8Array; data: unknown }> {
  const bytes = await readLimited(req, MAX_EXECUTOR_BODY);
  if (!bytes.byteLength) return { bytes, data: undefined };
  try {
    return { bytes, data: JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes)) };
  } catch {
    throw new AppError("invalid_json", "The body is not valid UTF-8 JSON");
  }
}

/** The same request for the SDK, its body bytes unchanged (cloud mode verifies a signature over them). */
const replay = (req: NextRequest, bytes: Uint8Array) =>
  new NextRequest(req.url, { method: req.method, headers: req.headers, body: bytes.byteLength ? (bytes as BodyInit) : undefined });

/** POST: a function (or the trust probe) must be named, and the body must be the executor's envelope. */
export function guardInngestPost(handler: Handler, functionIds: readonly string[]): Handler {
  return async (req, res) => {
    try {
      const query = req.nextUrl.searchParams;
      const probe = query.get("probe");
      if (probe !== null && probe !== "trust") throw new AppError("validation_error", "Unknown probe", [{ path: "probe", message: "Only probe=trust exists", code: "invalid_value" }]);
      const fnId = query.get("fnId");
      if (probe === null && (!fnId || !functionIds.includes(fnId))) throw new AppError("not_found", "No such function in this app");
      const { bytes, data } = await readJsonBytes(req);
      if (probe === null) {
        const parsed = executorEnvelope.safeParse(data);
        if (!parsed.success) throw parsed.error;
      }
      return handler(replay(req, bytes), res);
    } catch (err) {
      return toErrorResponse(err, { method: req.method, url: req.url });
    }
  };
}

/** PUT (sync): the body, when there is one, must be JSON. */
export function guardInngestPut(handler: Handler): Handler {
  return async (req, res) => {
    try {
      const { bytes } = await readJsonBytes(req);
      return handler(replay(req, bytes), res);
    } catch (err) {
      return toErrorResponse(err, { method: req.method, url: req.url });
    }
  };
}
