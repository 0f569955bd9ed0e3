// Client-side access to the schedules API. Every response is parsed with the API's own zod
// schema, so a contract drift fails loudly here instead of rendering half-filled screens. The schemas
// (and zod with them) are imported on the first request, not with the page: they stay out of its
// first-load JavaScript.
import type { z } from "zod";
import type { createScheduleSchema, updateScheduleSchema } from "@/lib/schedules/schemas";

/** The schedules contract, loaded on demand. */
export const scheduleContract = () => import("@/lib/schedules/schemas");

export type CreateBody = z.input<typeof createScheduleSchema>;
export type PatchBody = z.input<typeof updateScheduleSchema>;
export type FieldIssue = { path: string; message: string };

export const scheduleKeys = {
  all: ["schedules"] as const,
  one: (id: string) => ["schedules", id] as const,
  preview: (cron: string, timezone: string) => ["schedule-preview", cron, timezone] as const,
  connections: ["crm-connections"] as const,
};

export const PLAN_REQUIRED_MESSAGE =
  "Scheduled reviews need the Team plan or higher: your current plan can't create or activate schedules. Upgrade to continue.";

/** `{ "error": { "code", "message", "details"? } }`, or null; malformed details are dropped. */
function errorBody(body: unknown): { code: string; message: string; details?: FieldIssue[] } | null {
  const e = (body as { error?: Record<string, unknown> } | null)?.error;
  if (!e || typeof e.code !== "string" || typeof e.message !== "string") return null;
  const d = e.details;
  const valid = Array.isArray(d) && d.every((i: { path?: unknown; message?: unknown } | null) => typeof i?.path === "string" && typeof i?.message === "string");
  return { code: e.code, message: e.message, details: valid ? (d as FieldIssue[]) : undefined };
}

export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldIssue[] = [],
  ) {
    super(message);
  }
}

/** What to tell the user about a failed request. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiRequestError && err.code === "plan_required") return PLAN_REQUIRED_MESSAGE;
  if (err instanceof Error) return err.message;
  return "Something went wrong";
}

/** `schema` loads the response's schema (e.g. `async () => (await scheduleContract()).scheduleSchema`); null: no body expected. */
export async function request<S extends z.ZodType>(url: string, init: RequestInit, schema: (() => Promise<S>) | null): Promise<z.infer<S>> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, headers: { accept: "application/json", ...init.headers } });
  } catch (err) {
    if (init.signal?.aborted) throw err; // a superseded preview: TanStack Query expects the abort
    throw new ApiRequestError(0, "network_error", "Can't reach Revwatch. Check your connection and try again.");
  }
  if (!res.ok) {
    const body = errorBody(await res.json().catch(() => null));
    if (body) throw new ApiRequestError(res.status, body.code, body.message, body.details ?? []);
    throw new ApiRequestError(res.status, "http_error", `The server answered ${res.status}`);
  }
  if (!schema || res.status === 204) return undefined as z.infer<S>;
  const json: unknown = await res.json();
  return (await schema()).parse(json);
}

const sendJson = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

export const fetchConnections = () =>
  request("/api/crm-connections", {}, async () => (await scheduleContract()).crmConnectionListSchema).then((r) => r.data);

/** Adds (or returns) the tenant's Demo CRM connection. */
export const connectDemoCrm = () => request("/api/crm-connections/demo", { method: "POST" }, async () => (await scheduleContract()).crmConnectionSchema);

export function fetchPreview(schedule: string, timezone: string, signal?: AbortSignal) {
  const qs = new URLSearchParams({ schedule, timezone, count: "5" });
  return request(`/api/scheduled-reviews/preview?${qs}`, { signal }, async () => (await scheduleContract()).previewSchema);
}

/** `idempotencyKey`: one per intended create, so a retried or doubled request cannot add a second schedule. */
export const createSchedule = (body: CreateBody, idempotencyKey?: string) => {
  const init = sendJson("POST", body);
  if (idempotencyKey) init.headers = { ...init.headers, "Idempotency-Key": idempotencyKey };
  return request("/api/scheduled-reviews", init, async () => (await scheduleContract()).scheduleSchema);
};

/** A random key; crypto.randomUUID needs a secure context (http on a LAN address is not one), getRandomValues does not. */
export function newIdempotencyKey(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}

export const updateSchedule = (id: string, body: PatchBody) =>
  request(`/api/scheduled-reviews/${encodeURIComponent(id)}`, sendJson("PATCH", body), async () => (await scheduleContract()).scheduleSchema);

export const deleteSchedule = (id: string) =>
  request(`/api/scheduled-reviews/${encodeURIComponent(id)}`, { method: "DELETE" }, null);
