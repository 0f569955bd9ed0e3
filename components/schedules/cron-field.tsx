"use client";
import { cronOfFrequency } from "@/lib/schedules/frequency-cron";
import { describedBy, Field, inputClass } from "@/components/ui/field";

export const PRESETS = [
  { label: "Every weekday 09:00", cron: "0 9 * * 1-5" },
  { label: "Every Monday 06:00", cron: cronOfFrequency({ every: "weekly", time: "06:00", day_of_week: 1 }) },
  { label: "Daily 08:00", cron: cronOfFrequency({ every: "daily", time: "08:00" }) },
  // Hour lists, not */12: fixed times keep their wall-clock slots across DST (see lib/schedules/slots.ts).
  { label: "Every 12 hours", cron: cronOfFrequency({ every: "12h", time: "00:00" }) },
  { label: "Every 6 hours", cron: cronOfFrequency({ every: "6h", time: "00:00" }) },
  { label: "First of month 09:00", cron: "0 9 1 * *" },
] as const;

const normalise = (cron: string) => cron.trim().split(/\s+/).join(" ");

/** Preset buttons and the raw 5-field cron they fill in; editing the cron by hand is "Custom". */
export function CronField({ id, value, onChange, error }: { id: string; value: string; onChange: (cron: string) => void; error?: string }) {
  const hint = "5 fields: minute hour day-of-month month day-of-week, in the schedule's time zone.";
  return (
    <fieldset className="space-y-3">
      <legend className="text-sm font-medium text-slate-800">When</legend>
      <div role="group" aria-label="Presets" className="grid grid-cols-2 gap-2 lg:grid-cols-3">
        {PRESETS.map((p) => {
          const selected = normalise(value) === p.cron;
          return (
            <button
              key={p.label}
              type="button"
              aria-pressed={selected}
              onClick={() => onChange(p.cron)}
              className={`rounded-md border px-3 py-2 text-left text-sm ${
                selected ? "border-indigo-600 bg-indigo-50 font-medium text-indigo-900" : "border-slate-300 bg-white hover:bg-slate-50"
              }`}
            >
              {p.label}
              <code className="block text-xs font-normal text-slate-500">{p.cron}</code>
            </button>
          );
        })}
      </div>
      <Field id={id} label="Cron expression" hint={hint} error={error}>
        <input
          {...describedBy(id, { hint, error })}
          className={`${inputClass} font-mono`}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          autoComplete="off"
          spellCheck={false}
          placeholder="0 9 * * 1-5"
        />
      </Field>
    </fieldset>
  );
}
