"use client";
import { Field, inputClass } from "@/components/ui/field";
import type { AlertSettingsDto } from "@/lib/alerts/schemas";

// Recurring quiet hours on the alert settings form: non-critical messages are held until they end.
type Quiet = NonNullable<AlertSettingsDto["quiet_hours"]>;
const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

export function QuietHoursFields({ value, onChange }: { value: Quiet | null; onChange: (q: Quiet | null) => void }) {
  if (!value)
    return (
      <p className="mt-3 text-sm">No quiet hours.{" "}
        <button type="button" className="underline" onClick={() => onChange({ days: [1, 2, 3, 4, 5], start: "22:00", end: "07:00", time_zone: browserZone() })}>Add quiet hours</button>
      </p>
    );
  const toggle = (d: number) => onChange({ ...value, days: value.days.includes(d) ? value.days.filter((x) => x !== d) : [...value.days, d].sort((a, b) => a - b) });
  return (
    <fieldset className="mt-3 space-y-2 text-sm">
      <legend className="font-medium">Quiet hours (non-critical messages are held until they end; critical ones pass)</legend>
      <div className="flex flex-wrap gap-3">
        {DAYS.map((d, i) => (
          <label key={d} className="flex items-center gap-1"><input type="checkbox" checked={value.days.includes(i)} onChange={() => toggle(i)} /> {d}</label>
        ))}
      </div>
      <div className="grid gap-3 sm:grid-cols-3">
        <Field id="quiet_start" label="From"><input id="quiet_start" type="time" className={inputClass} value={value.start} onChange={(e) => onChange({ ...value, start: e.target.value })} /></Field>
        <Field id="quiet_end" label="Until (next day if earlier)"><input id="quiet_end" type="time" className={inputClass} value={value.end} onChange={(e) => onChange({ ...value, end: e.target.value })} /></Field>
        <Field id="quiet_zone" label="Time zone"><input id="quiet_zone" className={inputClass} value={value.time_zone} onChange={(e) => onChange({ ...value, time_zone: e.target.value })} /></Field>
      </div>
      <button type="button" className="underline" onClick={() => onChange(null)}>Remove quiet hours</button> (takes effect on save)
    </fieldset>
  );
}
