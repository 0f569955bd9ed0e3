import { json, readJson } from "@/lib/http";
import { ingestExecution, withMonitorToken } from "@/lib/monitors/ingest";
import { INGEST_MAX_BYTES, ingestSchema } from "@/lib/monitors/schemas";

// An external job reports one execution: the monitor's token, no Clerk session. 201 new, 200 a repeat.
export const POST = withMonitorToken(async ({ req, monitor }) => {
  const result = await ingestExecution(monitor, await readJson(req, ingestSchema, INGEST_MAX_BYTES));
  return json(result, result.duplicate ? 200 : 201);
});
