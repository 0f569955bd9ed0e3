// The schedule form's state and its mapping to and from the API (request bodies, error paths).
import type { ScheduleDto } from "@/lib/schedules/schemas";
import type { CreateBody, FieldIssue, PatchBody } from "@/components/schedules/api";
import { DEFAULT_CATCH_UP_WINDOW_MINUTES, type CATCH_UP_POLICIES, type OVERLAP_POLICIES } from "@/lib/schedules/constants";

export type FormValues = {
  name: string;
  description: string;
  crm_connection_id: string;
  cron: string;
  /** null until the user picks one: the form then follows the browser's zone */
  timezone: string | null;
  email: boolean;
  recipients: string;
  slack: boolean;
  /** a NEW webhook URL; empty keeps the stored one on edit */
  slack_url: string;
  is_active: boolean;
  /** Which open deals runs read; empty lists and no minimum: all of them */
  scan_scope: ScopeValues;
  overlap_policy: (typeof OVERLAP_POLICIES)[number];
  catch_up_policy: (typeof CATCH_UP_POLICIES)[number];
  /** minutes, as typed */
  catch_up_window_minutes: string;
  /** consecutive failed runs before the schedule pauses itself; empty: never */
  auto_pause_after_failures: string;
};
export type ScopeValues = { pipeline_ids: string[]; stage_ids: string[]; owner_ids: string[]; min_amount: string };
export type FieldKey = keyof FormValues | "channels";

/** Where each API field's errors are shown (the first path segment of an error detail). */
const FIELD_OF_PATH: Record<string, FieldKey> = {
  name: "name",
  description: "description",
  crm_connection_id: "crm_connection_id",
  schedule: "cron",
  frequency: "cron",
  timezone: "timezone",
  delivery_channels: "channels",
  email_recipients: "recipients",
  slack_webhook_url: "slack_url",
  is_active: "is_active",
  scan_scope: "scan_scope",
  overlap_policy: "overlap_policy",
  catch_up_policy: "catch_up_policy",
  catch_up_window_minutes: "catch_up_window_minutes",
  auto_pause_after_failures: "auto_pause_after_failures",
};

const LABELS: Record<FieldKey, string> = {
  name: "Name", description: "Description", crm_connection_id: "CRM connection", cron: "Schedule", timezone: "Time zone",
  email: "Email", recipients: "Email recipients", slack: "Slack", slack_url: "Slack webhook URL", is_active: "Active", channels: "Delivery",
  scan_scope: "Scan scope", overlap_policy: "When a run is still going", catch_up_policy: "After downtime",
  catch_up_window_minutes: "Catch-up window", auto_pause_after_failures: "Auto-pause",
};

/** DOM id of a field's control, so the error summary can link to it. */
export const fieldId = (key: FieldKey) => `schedule-${key.replace(/_/g, "-")}`;

export function initialValues(dto: ScheduleDto | undefined, defaultCron: string): FormValues {
  return {
    name: dto?.name ?? "",
    description: dto?.description ?? "",
    crm_connection_id: dto?.crm_connection_id ?? "",
    cron: dto?.schedule ?? defaultCron,
    timezone: dto?.timezone ?? null,
    email: dto?.delivery_channels.includes("email") ?? false,
    recipients: dto?.email_recipients.join("\n") ?? "",
    slack: dto?.delivery_channels.includes("slack") ?? false,
    slack_url: "",
    is_active: dto?.is_active ?? true,
    scan_scope: {
      pipeline_ids: dto?.scan_scope.pipeline_ids ?? [], stage_ids: dto?.scan_scope.stage_ids ?? [], owner_ids: dto?.scan_scope.owner_ids ?? [],
      min_amount: dto?.scan_scope.min_amount == null ? "" : String(dto.scan_scope.min_amount),
    },
    overlap_policy: dto?.overlap_policy ?? "skip",
    catch_up_policy: dto?.catch_up_policy ?? "run_once",
    catch_up_window_minutes: String(dto?.catch_up_window_minutes ?? DEFAULT_CATCH_UP_WINDOW_MINUTES),
    auto_pause_after_failures: dto?.auto_pause_after_failures == null ? "" : String(dto.auto_pause_after_failures),
  };
}

export const parseRecipients = (text: string) =>
  text.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean);

export function toCreateBody(v: FormValues): CreateBody {
  return {
    name: v.name,
    description: v.description.trim() || null,
    crm_connection_id: v.crm_connection_id,
    schedule: v.cron,
    timezone: v.timezone ?? "UTC",
    delivery_channels: [...(v.email ? ["email" as const] : []), ...(v.slack ? ["slack" as const] : [])],
    // Unchecked channels send nothing, so their (hidden) fields can't fail validation.
    ...(v.email ? { email_recipients: parseRecipients(v.recipients) } : {}),
    ...(v.slack && v.slack_url.trim() ? { slack_webhook_url: v.slack_url.trim() } : {}),
    is_active: v.is_active,
    scan_scope: {
      pipeline_ids: v.scan_scope.pipeline_ids, stage_ids: v.scan_scope.stage_ids, owner_ids: v.scan_scope.owner_ids,
      min_amount: v.scan_scope.min_amount.trim() === "" ? null : Number(v.scan_scope.min_amount),
    },
    overlap_policy: v.overlap_policy,
    catch_up_policy: v.catch_up_policy,
    catch_up_window_minutes: Number(v.catch_up_window_minutes.trim()),
    auto_pause_after_failures: v.auto_pause_after_failures.trim() === "" ? null : Number(v.auto_pause_after_failures.trim()),
  };
}

/** PATCH only what changed, so an untouched field (e.g. is_active) never trips a rule it didn't touch. */
export function toPatchBody(v: FormValues, base: FormValues): PatchBody {
  const next = toCreateBody(v);
  const before = toCreateBody(base);
  const body: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(next)) {
    if (JSON.stringify(value) !== JSON.stringify(before[key as keyof CreateBody])) body[key] = value;
  }
  return body as PatchBody;
}

/** Groups the API's error details by form field; recipient errors name the offending address. */
export function fieldErrors(details: FieldIssue[], v: FormValues): Partial<Record<FieldKey, string>> {
  const recipients = parseRecipients(v.recipients);
  const out: Partial<Record<FieldKey, string>> = {};
  for (const d of details) {
    const [head, index] = d.path.split(".");
    const key = FIELD_OF_PATH[head ?? ""];
    if (!key) continue;
    const address = key === "recipients" && index !== undefined ? recipients[Number(index)] : undefined;
    const message = address ? `${address}: ${d.message}` : d.message;
    out[key] = out[key] ? `${out[key]} ${message}` : message;
  }
  return out;
}

/** The form-level list of problems: each names its field and links to it when there is one. */
export function summaryItems(details: FieldIssue[], v: FormValues): { href?: string; message: string }[] {
  return details.map((d) => {
    const key = FIELD_OF_PATH[d.path.split(".")[0] ?? ""];
    const text = Object.values(fieldErrors([d], v))[0] ?? d.message;
    return key ? { href: `#${fieldId(key)}`, message: `${LABELS[key]}: ${text}` } : { message: d.path ? `${d.path}: ${d.message}` : d.message };
  });
}
