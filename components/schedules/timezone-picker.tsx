"use client";
import { useEffect, useId, useState, type KeyboardEvent } from "react";
import { describedBy, Field, inputClass } from "@/components/ui/field";

type ZoneNames = typeof import("@/lib/tz/names");
let zoneNames: ZoneNames | null = null;
/** The zone names (~13 KB gzip) load after the page, not with it: the page's first-load JavaScript stays small. */
function useZoneNames(): ZoneNames | null {
  const [names, setNames] = useState(zoneNames);
  useEffect(() => {
    if (names) return;
    void import("@/lib/tz/names").then((m) => {
      zoneNames = m;
      setNames(m);
    });
  }, [names]);
  return names;
}

/**
 * A searchable IANA zone field (ARIA combobox). It searches the project's tz database names and
 * their links, so "Calcutta" finds Asia/Kolkata; only names ship to the browser, the server
 * computes offsets (the preview). Free text stays allowed: the server validates the name.
 */
export function TimezonePicker({
  id, value, onChange, error, browserZone,
}: { id: string; value: string; onChange: (zone: string) => void; error?: string; browserZone: string | null }) {
  const listId = `${id}-options`;
  const optionPrefix = useId();
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const names = useZoneNames();
  // Nothing to choose once the text is a stored name; keeps the list from covering the form.
  const unsettled = names ? names.canonicalZone(value) !== value : false;
  const options = names && open && unsettled ? names.searchZones(value, 50) : [];
  const expanded = options.length > 0;
  const activeIndex = Math.min(active, options.length - 1);

  function choose(name: string) {
    onChange(name);
    setOpen(false);
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (!expanded) return setOpen(true);
      const step = e.key === "ArrowDown" ? 1 : -1;
      setActive((activeIndex + step + options.length) % options.length);
    } else if (e.key === "Enter") {
      // Enter in this field picks a zone and never submits the form: the list may be closed (after
      // Escape or a refocus) or empty (a typo), and a half-typed zone must not be sent.
      e.preventDefault();
      if (e.nativeEvent.isComposing) return;
      const pick = expanded ? options[activeIndex] : names && unsettled ? names.searchZones(value, 1)[0] : undefined;
      if (pick) choose(pick.name);
      else setOpen(false);
    } else if (e.key === "Escape" && expanded) {
      e.preventDefault();
      setOpen(false);
    }
  }

  const hint = (
    <>
      Type a city or zone name, e.g. London or Calcutta.
      {names && browserZone && value !== browserZone && names.canonicalZone(browserZone) !== value && (
        <>
          {" "}
          <button type="button" className="text-indigo-700 underline" onClick={() => choose(browserZone)}>
            Use my zone ({browserZone})
          </button>
        </>
      )}
    </>
  );
  return (
    <Field id={id} label="Time zone" hint={hint} error={error}>
      <div className="relative">
        <input
          {...describedBy(id, { hint, error })}
          className={inputClass}
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={expanded}
          aria-controls={listId}
          aria-activedescendant={expanded ? `${optionPrefix}-${activeIndex}` : undefined}
          value={value}
          onChange={(e) => {
            // Not trimmed while typing: "New York" needs its space (trimmed on blur and on pick).
            onChange(e.target.value);
            setOpen(true);
            setActive(0);
          }}
          onKeyDown={onKeyDown}
          onBlur={() => {
            setOpen(false);
            if (value !== value.trim()) onChange(value.trim());
          }}
          autoComplete="off"
          spellCheck={false}
          placeholder={browserZone ?? "UTC"}
        />
        <ul
          id={listId}
          role="listbox"
          aria-label="Zone suggestions"
          hidden={!expanded}
          className="absolute z-10 mt-1 max-h-64 w-full overflow-auto rounded-md border border-slate-200 bg-white py-1 text-sm shadow-lg"
        >
          {options.map((o, i) => (
            <li
              key={o.name}
              id={`${optionPrefix}-${i}`}
              role="option"
              aria-selected={i === activeIndex}
              className={`cursor-pointer px-3 py-1.5 ${i === activeIndex ? "bg-indigo-50 text-indigo-900" : ""}`}
              // mousedown, not click: the input's blur would close the list first
              onMouseDown={(e) => {
                e.preventDefault();
                choose(o.name);
              }}
            >
              {o.name}
              {o.aliases.length > 0 && <span className="ml-2 text-xs text-slate-500">also {o.aliases.slice(0, 3).join(", ")}</span>}
            </li>
          ))}
        </ul>
      </div>
    </Field>
  );
}
