"use client";
import { describedBy, Field, inputClass } from "@/components/ui/field";
import { useTimeZones } from "@/components/schedules/hooks";

/** A searchable IANA zone field: free text with the browser's zone list as suggestions. */
export function TimezonePicker({
  id, value, onChange, error, browserZone,
}: { id: string; value: string; onChange: (zone: string) => void; error?: string; browserZone: string | null }) {
  const zones = useTimeZones();
  const listId = `${id}-options`;
  const hint = (
    <>
      Type to search, e.g. Europe/London.
      {browserZone && value !== browserZone && (
        <>
          {" "}
          <button type="button" className="text-indigo-700 underline" onClick={() => onChange(browserZone)}>
            Use my zone ({browserZone})
          </button>
        </>
      )}
    </>
  );
  return (
    <Field id={id} label="Time zone" hint={hint} error={error}>
      <input
        {...describedBy(id, { hint, error })}
        className={inputClass}
        list={listId}
        value={value}
        onChange={(e) => onChange(e.target.value.trim())}
        autoComplete="off"
        spellCheck={false}
        placeholder={browserZone ?? "UTC"}
      />
      <datalist id={listId}>
        {zones.map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
    </Field>
  );
}
