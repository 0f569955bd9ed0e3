"use client";
import { useState } from "react";
import { useMutation } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, inputClass } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import { ApiRequestError, errorMessage } from "@/components/schedules/api";
import { AdminOnly } from "@/components/schedules/role-gate";
import { saveAlertSettings, sendTestAlert } from "@/components/alerts/api";
import { QuietHoursFields } from "@/components/alerts/quiet-hours-fields";
import type { AlertRules, AlertSettingsDto, RuleName, TestAlertResult } from "@/lib/alerts/schemas";
import { SEVERITIES } from "@/lib/alerts/severities";
import type { Role } from "@/lib/roles";

type Threshold = { key: string; label: string; min: number };
const RULES: { name: RuleName; label: string; thresholds: Threshold[] }[] = [
  { name: "failures_in_window", label: "Failed runs of one schedule within a window", thresholds: [{ key: "count", label: "runs", min: 1 }, { key: "window_hours", label: "hours", min: 1 }] },
  { name: "consecutive_failures", label: "Failed runs in a row", thresholds: [{ key: "count", label: "runs", min: 1 }] },
  { name: "low_health_score", label: "Health score below a floor", thresholds: [{ key: "floor", label: "floor", min: 0 }] },
  { name: "slow_run", label: "A run slower than a limit", thresholds: [{ key: "limit_seconds", label: "seconds", min: 1 }] },
  { name: "connection_expired", label: "CRM connection expired", thresholds: [] },
  { name: "coverage_below", label: "Coverage below 95 % (hourly postcheck)", thresholds: [] },
  { name: "scheduler_silent", label: "Scheduler silent (no dispatcher tick)", thresholds: [{ key: "minutes", label: "minutes", min: 2 }] },
  { name: "monitor_down", label: "Monitor down (expected run missed or overran)", thresholds: [] },
];
const NOISE = [
  ["recovery_successes", "Resolve after this many good runs in a row"],
  ["renotify_minutes", "Re-notify every (minutes) while open and not acknowledged"],
  ["cooldown_minutes", "Cooldown (minutes): at most one open/recovery message per subject in it"],
  ["flapping_per_day", "Mark flapping after this many openings in 24 h"],
  ["max_messages_per_hour", "At most this many messages per channel per hour"],
] as const;
type Noise = (typeof NOISE)[number][0];

function RuleRow({ label, thresholds, rule, onChange }: (typeof RULES)[number] & { rule: AlertRules[RuleName]; onChange: (r: AlertRules[RuleName]) => void }) {
  const values = rule as unknown as Record<string, number>;
  return (
    <fieldset className="flex flex-wrap items-center gap-3 border-b border-slate-100 py-2">
      <legend className="sr-only">{label}</legend>
      <label className="flex min-w-64 items-center gap-2 text-sm">
        <input type="checkbox" checked={rule.enabled} onChange={(e) => onChange({ ...rule, enabled: e.target.checked })} /> {label}
      </label>
      <label className="text-sm">Severity{" "}
        <select aria-label={`${label} severity`} className="rounded-md border border-slate-300 px-2 py-1" value={rule.severity}
          onChange={(e) => onChange({ ...rule, severity: e.target.value as (typeof SEVERITIES)[number] })}>
          {SEVERITIES.map((s) => <option key={s} value={s}>{s}</option>)}
        </select>
      </label>
      {thresholds.map((t) => (
        <label key={t.key} className="text-sm">
          <input aria-label={`${label} ${t.label}`} type="number" min={t.min} className="w-20 rounded-md border border-slate-300 px-2 py-1" value={values[t.key]}
            onChange={(e) => onChange({ ...rule, [t.key]: Number(e.target.value) })} /> {t.label}
        </label>
      ))}
    </fieldset>
  );
}

function TestResults({ result }: { result: TestAlertResult }) {
  if (!result.results.length) return <p className="text-sm text-slate-600">No channels configured: add an email recipient or a webhook first.</p>;
  return (
    <ul aria-label="Test alert results" className="space-y-1 text-sm">
      {result.results.map((r, i) => (
        <li key={i} data-testid="test-result">
          {r.channel} → {r.target}: <strong className={r.status === "sent" ? "text-emerald-700" : "text-red-700"}>{r.status}</strong>
          {r.error_message ? ` — ${r.error_message}` : ""}
        </li>
      ))}
    </ul>
  );
}

export function AlertSettingsForm({ initial, role }: { initial: AlertSettingsDto; role: Role }) {
  const toast = useToast();
  const [s, setS] = useState(initial);
  const [recipients, setRecipients] = useState(initial.email_recipients.join(", "));
  const [newHook, setNewHook] = useState("");
  const [secret, setSecret] = useState<string | null>(null);
  const [problems, setProblems] = useState<string[]>([]);
  const [test, setTest] = useState<TestAlertResult | null>(null);

  const save = useMutation({
    mutationFn: (opts: { rotate?: boolean } = {}) => saveAlertSettings({
      enabled: s.enabled, rules: s.rules, recovery_successes: s.recovery_successes, renotify_minutes: s.renotify_minutes,
      cooldown_minutes: s.cooldown_minutes, flapping_per_day: s.flapping_per_day,
      email_recipients: recipients.split(/[\s,;]+/).filter(Boolean),
      webhooks: [...s.webhooks.map((w) => ({ id: w.id })), ...(newHook.trim() ? [{ url: newHook.trim() }] : [])],
      snoozed_until: s.snoozed_until, max_messages_per_hour: s.max_messages_per_hour, quiet_hours: s.quiet_hours,
      ...(opts.rotate ? { rotate_webhook_secret: true } : {}),
    }),
    onSuccess: (saved) => {
      setS(saved);
      setRecipients(saved.email_recipients.join(", "));
      setNewHook("");
      setProblems([]);
      if (saved.webhook_secret) setSecret(saved.webhook_secret);
      toast("Alert settings saved");
    },
    onError: (err) => {
      setProblems(err instanceof ApiRequestError ? err.details.map((d) => `${d.path}: ${d.message}`) : []);
      toast(errorMessage(err), "error");
    },
  });
  const sendTest = useMutation({ mutationFn: sendTestAlert, onSuccess: setTest, onError: (e) => toast(errorMessage(e), "error") });
  const snoozed = s.snoozed_until && s.snoozed_until > new Date().toISOString();

  return (
    <form className="space-y-4" onSubmit={(e) => { e.preventDefault(); save.mutate({}); }}>
      <Card title="Rules">
        <label className="mb-2 flex items-center gap-2 text-sm font-medium">
          <input type="checkbox" checked={s.enabled} onChange={(e) => setS({ ...s, enabled: e.target.checked })} /> Alerts enabled
        </label>
        {RULES.map((r) => <RuleRow key={r.name} {...r} rule={s.rules[r.name]} onChange={(rule) => setS({ ...s, rules: { ...s.rules, [r.name]: rule } })} />)}
      </Card>
      <Card title="Noise control">
        <div className="grid gap-3 sm:grid-cols-2">
          {NOISE.map(([key, label]) => (
            <Field key={key} id={key} label={label}>
              <input id={key} type="number" min={0} className={inputClass} value={s[key as Noise]} onChange={(e) => setS({ ...s, [key]: Number(e.target.value) })} />
            </Field>
          ))}
        </div>
        <p className="mt-3 text-sm">
          {snoozed ? <>Snoozed until {s.snoozed_until!.slice(0, 16).replace("T", " ")} UTC. </> : "Not snoozed. "}
          <button type="button" className="underline" onClick={() => setS({ ...s, snoozed_until: new Date(Date.now() + 3_600_000).toISOString() })}>Snooze 1 h</button>{" "}
          {snoozed && <button type="button" className="underline" onClick={() => setS({ ...s, snoozed_until: null })}>End snooze</button>} (takes effect on save)
        </p>
        <QuietHoursFields value={s.quiet_hours} onChange={(quiet_hours) => setS({ ...s, quiet_hours })} />
      </Card>
      <Card title="Channels">
        <Field id="email_recipients" label="Email recipients" hint="Comma-separated; alerts go out through the configured email provider">
          <input id="email_recipients" className={inputClass} value={recipients} onChange={(e) => setRecipients(e.target.value)} />
        </Field>
        <div className="mt-3 space-y-2">
          <p className="text-sm font-medium">Webhooks (signed with HMAC-SHA256; see the README for verifying)</p>
          <ul className="space-y-1 text-sm">
            {s.webhooks.map((w) => (
              <li key={w.id} className="flex items-center gap-2">
                <code>{w.url_masked}</code>
                <button type="button" className="text-red-700 underline" onClick={() => setS({ ...s, webhooks: s.webhooks.filter((x) => x.id !== w.id) })}>Remove</button>
              </li>
            ))}
          </ul>
          <Field id="new_webhook" label="Add a webhook URL (https)">
            <input id="new_webhook" className={inputClass} value={newHook} placeholder="https://example.com/hooks/revwatch" onChange={(e) => setNewHook(e.target.value)} />
          </Field>
          <p className="text-sm">Signing secret: <code>{s.webhook_secret_masked ?? "none yet (created with the first webhook)"}</code>{" "}
            <AdminOnly role={role} label="Save and rotate secret">
              <Button type="button" variant="secondary" onClick={() => save.mutate({ rotate: true })} disabled={save.isPending}>Save and rotate secret</Button>
            </AdminOnly></p>
          {secret && (
            <p role="status" className="rounded-md bg-amber-50 p-2 text-sm text-amber-900">
              New signing secret — copy it now, it is not shown again: <code data-testid="webhook-secret">{secret}</code>
            </p>
          )}
        </div>
      </Card>
      {problems.length > 0 && <ul role="alert" className="text-sm text-red-700">{problems.map((p) => <li key={p}>{p}</li>)}</ul>}
      <div className="flex flex-wrap items-center gap-3">
        <AdminOnly role={role} label="Save settings">
          <Button type="submit" disabled={save.isPending}>{save.isPending ? "Saving…" : "Save settings"}</Button>
        </AdminOnly>
        <AdminOnly role={role} label="Send test alert">
          <Button type="button" variant="secondary" disabled={sendTest.isPending} onClick={() => sendTest.mutate()}>{sendTest.isPending ? "Sending…" : "Send test alert"}</Button>
        </AdminOnly>
      </div>
      {test && <Card title="Test alert"><TestResults result={test} /></Card>}
    </form>
  );
}
