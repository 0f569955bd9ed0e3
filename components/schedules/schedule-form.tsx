"use client";
import Link from "next/link";
import { useEffect, useRef, useState, type FormEvent } from "react";
import dynamic from "next/dynamic";
import { useRouter } from "next/navigation";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ScheduleDto } from "@/lib/schedules/schemas";
import { Button } from "@/components/ui/button";
import { CheckboxField, describedBy, Field, inputClass } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import {
  ApiRequestError, createSchedule, errorMessage, fetchConnections, newIdempotencyKey, scheduleKeys, updateSchedule,
} from "@/components/schedules/api";
import { CronField, PRESETS } from "@/components/schedules/cron-field";
import { DeliveryFields } from "@/components/schedules/delivery-fields";
import { DemoCrmButton } from "@/components/schedules/demo-crm-button";
import {
  fieldErrors, fieldId, initialValues, summaryItems, toCreateBody, toPatchBody, type FieldKey, type FormValues,
} from "@/components/schedules/form-model";
import { useBrowserTimeZone } from "@/components/schedules/hooks";
import { PreviewPanel, usePreview } from "@/components/schedules/preview-panel";
import { TimezonePicker } from "@/components/schedules/timezone-picker";

// The scan-scope picker (and the CRM client with it) loads with the form, not in the page's first-load JavaScript.
const ScopeFields = dynamic(() => import("@/components/schedules/scope-fields").then((m) => m.ScopeFields), { ssr: false });
// The policy fields too (the edit page stays under the 200 KB budget).
const PolicyFields = dynamic(() => import("@/components/schedules/policy-fields").then((m) => m.PolicyFields), { ssr: false });

type Errors = Partial<Record<FieldKey, string>>;
type Summary = { href?: string; message: string }[];

/** Create (no `schedule`) or edit a schedule. The server validates; its errors land on their fields. */
export function ScheduleForm({ schedule }: { schedule?: ScheduleDto }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const toast = useToast();
  const browserZone = useBrowserTimeZone();
  // The edit page remounts this form (key) whenever the saved schedule changes, so `base` stays current.
  const [base] = useState(() => initialValues(schedule, PRESETS[0].cron));
  const [values, setValues] = useState(base);
  const [serverErrors, setServerErrors] = useState<Errors>({});
  const [summary, setSummary] = useState<Summary | null>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  // One key per intended create: a retry (or a second submit that slips through) replays the first response.
  const idempotencyKey = useRef<string | null>(null);
  // Set synchronously on submit: a second submit in the same tick must not wait for React to re-render.
  const saving = useRef(false);

  const connections = useQuery({ queryKey: scheduleKeys.connections, queryFn: fetchConnections });
  const resolved: FormValues = {
    ...values,
    timezone: values.timezone ?? browserZone ?? "UTC",
    crm_connection_id: values.crm_connection_id || connections.data?.[0]?.id || "",
  };
  const preview = usePreview(values.cron, values.timezone ?? browserZone ?? "");
  const errors: Errors = { ...fieldErrors(preview.issues, resolved), ...serverErrors };

  function set<K extends keyof FormValues>(key: K, value: FormValues[K]) {
    // Another connection has other pipelines: its scope starts empty (all open deals).
    setValues((v) => ({ ...v, [key]: value, ...(key === "crm_connection_id" && value !== v.crm_connection_id ? { scan_scope: initialValues(undefined, "").scan_scope } : {}) }));
    // A server error is about the value that was sent: editing the field retires it.
    const stale: FieldKey[] = key === "email" || key === "slack" ? [key, "channels"] : [key];
    setServerErrors((e) => Object.fromEntries(Object.entries(e).filter(([k]) => !stale.includes(k as FieldKey))));
  }

  const mutation = useMutation({
    mutationFn: (v: FormValues) =>
      schedule ? updateSchedule(schedule.id, toPatchBody(v, base)) : createSchedule(toCreateBody(v), (idempotencyKey.current ??= newIdempotencyKey())),
    onSettled: () => {
      saving.current = false;
    },
    onSuccess: (saved) => {
      idempotencyKey.current = null;
      queryClient.setQueryData(scheduleKeys.one(saved.id), saved);
      void queryClient.invalidateQueries({ queryKey: scheduleKeys.all });
      setServerErrors({});
      setSummary(null);
      toast(schedule ? `Saved “${saved.name}”` : `Created “${saved.name}”`);
      router.push(`/schedule/${saved.id}`);
      router.refresh(); // the server-rendered summary follows the saved schedule
    },
    onError: (err, v) => {
      const details = err instanceof ApiRequestError ? err.details : [];
      setServerErrors(fieldErrors(details, v));
      setSummary(details.length ? summaryItems(details, v) : [{ message: errorMessage(err) }]);
    },
  });

  useEffect(() => {
    if (summary) summaryRef.current?.focus();
  }, [summary]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (schedule && Object.keys(toPatchBody(resolved, base)).length === 0) {
      toast("Nothing to save: no field has changed");
      return;
    }
    if (saving.current) return;
    saving.current = true;
    let submitted = false;
    try {
      const { policyIssues } = await import("@/components/schedules/policy-check");
      const local = policyIssues(resolved);
      if (local.length) {
        setServerErrors(fieldErrors(local, resolved));
        setSummary(summaryItems(local, resolved));
        return;
      }
      mutation.mutate(resolved);
      submitted = true;
    } catch (err) {
      // The check's chunk did not load (offline, a new deploy): say so, and let the user try again.
      setSummary([{ message: errorMessage(err) }]);
    } finally {
      if (!submitted) saving.current = false;
    }
  }

  const connectionHint = connections.isError ? `Couldn't load connections: ${errorMessage(connections.error)}` : undefined;
  return (
    <form onSubmit={submit} noValidate className="space-y-6" aria-busy={mutation.isPending} aria-describedby={summary ? "schedule-error-summary" : undefined}>
      {summary && (
        <div
          ref={summaryRef}
          id="schedule-error-summary"
          role="alert"
          tabIndex={-1}
          data-testid="form-errors"
          className="rounded-lg border border-red-300 bg-red-50 p-4 text-sm text-red-900"
        >
          <p className="font-semibold">The schedule was not saved</p>
          <ul className="mt-2 list-disc space-y-1 pl-5">
            {summary.map((item, i) => (
              <li key={i}>{item.href ? <a href={item.href} className="underline">{item.message}</a> : item.message}</li>
            ))}
          </ul>
        </div>
      )}

      {/* Every field and button is disabled while the request is in flight: no edit or second submit can race it. */}
      <fieldset disabled={mutation.isPending} className="min-w-0 space-y-6">
      <section className="space-y-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
        <Field id={fieldId("name")} label="Name" error={errors.name}>
          <input
            {...describedBy(fieldId("name"), { error: errors.name })}
            className={inputClass}
            value={values.name}
            onChange={(e) => set("name", e.target.value)}
            placeholder="Monday pipeline review"
          />
        </Field>
        <Field id={fieldId("description")} label="Description (optional)" error={errors.description}>
          <textarea
            {...describedBy(fieldId("description"), { error: errors.description })}
            className={inputClass}
            rows={2}
            value={values.description}
            onChange={(e) => set("description", e.target.value)}
          />
        </Field>
        <Field id={fieldId("crm_connection_id")} label="CRM connection" hint={connectionHint} error={errors.crm_connection_id}>
          <select
            {...describedBy(fieldId("crm_connection_id"), { hint: connectionHint, error: errors.crm_connection_id })}
            className={inputClass}
            value={resolved.crm_connection_id}
            onChange={(e) => set("crm_connection_id", e.target.value)}
            disabled={!connections.data}
          >
            {!connections.data && <option value="">{connections.isError ? "Unavailable" : "Loading connections…"}</option>}
            {connections.data?.length === 0 && <option value="">No CRM connected yet</option>}
            {connections.data?.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
                {c.status === "active" ? "" : ` (${c.status})`}
              </option>
            ))}
          </select>
          {connections.data?.length === 0 && <DemoCrmButton onConnected={(id) => set("crm_connection_id", id)} />}
        </Field>
        <ScopeFields id={fieldId("scan_scope")} connectionId={resolved.crm_connection_id} value={values.scan_scope} onChange={(v) => set("scan_scope", v)} error={errors.scan_scope} />
      </section>

      <section className="grid gap-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm lg:grid-cols-[minmax(0,1fr)_minmax(0,22rem)]">
        <div className="space-y-4">
          <CronField id={fieldId("cron")} value={values.cron} onChange={(cron) => set("cron", cron)} error={errors.cron} />
          <TimezonePicker
            id={fieldId("timezone")}
            value={values.timezone ?? browserZone ?? ""}
            onChange={(zone) => set("timezone", zone)}
            error={errors.timezone}
            browserZone={browserZone}
          />
        </div>
        <PreviewPanel preview={preview} />
      </section>

      <section className="space-y-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
        <DeliveryFields values={values} set={set} errors={errors} savedSlackUrl={schedule?.slack_webhook_url ?? null} />
        <CheckboxField
          id={fieldId("is_active")}
          label="Active"
          hint="Active schedules run at every slot. Paused ones keep their settings and run history."
          checked={values.is_active}
          onChange={(v) => set("is_active", v)}
        />
        {errors.is_active && <p className="text-sm text-red-700">{errors.is_active}</p>}
      </section>

      <section className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
        <PolicyFields values={values} set={set} errors={errors} />
      </section>

      <div className="flex flex-col gap-2 sm:flex-row">
        <Button type="submit" disabled={mutation.isPending}>
          {mutation.isPending ? "Saving…" : schedule ? "Save changes" : "Create schedule"}
        </Button>
        {schedule ? (
          <Button type="button" variant="secondary" onClick={() => { setValues(base); setServerErrors({}); setSummary(null); }}>
            Discard changes
          </Button>
        ) : (
          <Link href="/schedule" className="px-3 py-2 text-center text-sm text-slate-700 underline">Cancel</Link>
        )}
      </div>
      </fieldset>
    </form>
  );
}
