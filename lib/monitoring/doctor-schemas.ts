import { z } from "zod";

// Contract of the doctor's report (npm run doctor --json, GET /api/health?detail=1); no server imports.

export const doctorCheckSchema = z.object({
  id: z.string().describe("tz_database, env, database, migrations, executor, backlog, scheduler or coverage"),
  label: z.string(),
  status: z.enum(["ok", "warn", "fail", "skip"]).describe("fail needs attention; warn is worth a look; skip could not be checked"),
  summary: z.string(),
  fix: z.string().optional().describe("what to do, on a failed check"),
  details: z.unknown().optional().describe("the facts behind the verdict (env: per feature, each variable set, unset, default, missing or malformed; secrets masked)"),
});

export const doctorReportSchema = z.object({
  status: z.enum(["healthy", "needs_attention"]),
  scope: z.string().describe("whose backlog and coverage: all tenants (the script) or the caller's workspace (the API)"),
  checked_at: z.iso.datetime(),
  checks: z.array(doctorCheckSchema),
  attention: z.array(z.object({ id: z.string(), summary: z.string(), fix: z.string().nullable() })).describe("the failed checks, with what to do"),
});
export type DoctorReportDto = z.infer<typeof doctorReportSchema>;

export const healthQuerySchema = z.object({
  detail: z.enum(["1", "true"]).optional().describe("the doctor's full report; needs a session (backlog and coverage are the caller's own)"),
});
