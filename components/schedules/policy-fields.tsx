import { describedBy, Field, inputClass } from "@/components/ui/field";
import { fieldId, type FieldKey, type FormValues } from "@/components/schedules/form-model";
import { MAX_AUTO_PAUSE_AFTER_FAILURES, MAX_CATCH_UP_WINDOW_MINUTES } from "@/lib/schedules/constants";

// The schedule's operating policies in the form: overlap, catch-up after downtime, auto-pause.

type Props = {
  values: FormValues;
  set: <K extends keyof FormValues>(key: K, value: FormValues[K]) => void;
  errors: Partial<Record<FieldKey, string>>;
};

const OVERLAP_HINT = {
  skip: "The new slot is skipped (and counted on the schedule page).",
  buffer_one: "The newest waiting slot runs as soon as the current run ends; older waiting slots are skipped.",
  allow: "Both run at the same time.",
} as const;

const minutesText = (raw: string) => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) return "";
  return n % 1440 === 0 ? `${n / 1440} day${n === 1440 ? "" : "s"}` : n % 60 === 0 ? `${n / 60} hour${n === 60 ? "" : "s"}` : "";
};

export function PolicyFields({ values, set, errors }: Props) {
  const id = (k: FieldKey) => fieldId(k);
  // The hint said "at most 43200 (1 day)": the day count was the field's value, printed after the maximum.
  const current = minutesText(values.catch_up_window_minutes);
  const windowHint = `Missed slots older than this are counted, not run.${current ? ` This window: ${current}.` : ""} At most ${MAX_CATCH_UP_WINDOW_MINUTES} minutes (${minutesText(String(MAX_CATCH_UP_WINDOW_MINUTES))}).`;
  const pauseHint = `Pause this schedule after this many failed runs in a row (1 to ${MAX_AUTO_PAUSE_AFTER_FAILURES}); the reason shows in the schedule list. Leave empty to never pause automatically.`;
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <h2 className="text-lg font-semibold sm:col-span-2">Policies</h2>
      <Field id={id("overlap_policy")} label="When a run is still going at the next slot" hint={OVERLAP_HINT[values.overlap_policy]} error={errors.overlap_policy}>
        <select {...describedBy(id("overlap_policy"), { hint: "x", error: errors.overlap_policy })} className={inputClass}
          value={values.overlap_policy} onChange={(e) => set("overlap_policy", e.target.value as FormValues["overlap_policy"])}>
          <option value="skip">Skip the new slot</option>
          <option value="buffer_one">Run it after the current run</option>
          <option value="allow">Run both at once</option>
        </select>
      </Field>
      <Field id={id("catch_up_policy")} label="After downtime (slots missed while Revwatch was down)" error={errors.catch_up_policy}
        hint="Run once: the missed slots within the window collapse into one catch-up run.">
        <select {...describedBy(id("catch_up_policy"), { hint: "x", error: errors.catch_up_policy })} className={inputClass}
          value={values.catch_up_policy} onChange={(e) => set("catch_up_policy", e.target.value as FormValues["catch_up_policy"])}>
          <option value="run_once">Run once to catch up</option>
          <option value="skip">Skip them</option>
        </select>
      </Field>
      <Field id={id("catch_up_window_minutes")} label="Catch-up window (minutes)" hint={windowHint} error={errors.catch_up_window_minutes}>
        <input {...describedBy(id("catch_up_window_minutes"), { hint: windowHint, error: errors.catch_up_window_minutes })} className={inputClass}
          inputMode="numeric" value={values.catch_up_window_minutes} onChange={(e) => set("catch_up_window_minutes", e.target.value)} />
      </Field>
      <Field id={id("auto_pause_after_failures")} label="Auto-pause after consecutive failures (optional)" hint={pauseHint} error={errors.auto_pause_after_failures}>
        <input {...describedBy(id("auto_pause_after_failures"), { hint: pauseHint, error: errors.auto_pause_after_failures })} className={inputClass}
          inputMode="numeric" placeholder="Never" value={values.auto_pause_after_failures} onChange={(e) => set("auto_pause_after_failures", e.target.value)} />
      </Field>
    </div>
  );
}
