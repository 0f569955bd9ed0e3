"use client";
import { MAX_RECIPIENTS } from "@/lib/schedules/constants";
import { CheckboxField, describedBy, Field, inputClass } from "@/components/ui/field";
import { fieldId, type FieldKey, type FormValues } from "@/components/schedules/form-model";

type Props = {
  values: FormValues;
  set: <K extends keyof FormValues>(key: K, value: FormValues[K]) => void;
  errors: Partial<Record<FieldKey, string>>;
  /** the stored webhook, masked (edit only) */
  savedSlackUrl: string | null;
};

export function DeliveryFields({ values, set, errors, savedSlackUrl }: Props) {
  const recipientsId = fieldId("recipients");
  const slackId = fieldId("slack_url");
  const recipientsHint = `Separate addresses with commas or new lines (up to ${MAX_RECIPIENTS}).`;
  const slackHint = savedSlackUrl
    ? `A webhook is saved (${savedSlackUrl}). Leave blank to keep it, or paste a new one to replace it.`
    : "An incoming webhook: https://hooks.slack.com/services/…";
  return (
    <fieldset className="space-y-3" aria-describedby={errors.channels ? `${fieldId("channels")}-error` : undefined}>
      <legend className="text-sm font-medium text-slate-800">Deliver the summary by</legend>
      <CheckboxField id={fieldId("email")} label="Email" checked={values.email} onChange={(v) => set("email", v)}>
        <Field id={recipientsId} label="Email recipients" hint={recipientsHint} error={errors.recipients}>
          <textarea
            {...describedBy(recipientsId, { hint: recipientsHint, error: errors.recipients })}
            className={inputClass}
            rows={3}
            value={values.recipients}
            onChange={(e) => set("recipients", e.target.value)}
            placeholder="ana@example.com, ops@example.com"
          />
        </Field>
      </CheckboxField>
      <CheckboxField id={fieldId("slack")} label="Slack" checked={values.slack} onChange={(v) => set("slack", v)}>
        <Field id={slackId} label="Slack webhook URL" hint={slackHint} error={errors.slack_url}>
          <input
            {...describedBy(slackId, { hint: slackHint, error: errors.slack_url })}
            className={inputClass}
            type="url"
            inputMode="url"
            autoComplete="off"
            value={values.slack_url}
            onChange={(e) => set("slack_url", e.target.value)}
            placeholder={savedSlackUrl ?? "https://hooks.slack.com/services/T000/B000/XXXX"}
          />
        </Field>
      </CheckboxField>
      {errors.channels && <p id={`${fieldId("channels")}-error`} className="text-sm text-red-700">{errors.channels}</p>}
    </fieldset>
  );
}
