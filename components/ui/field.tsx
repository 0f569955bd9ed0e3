import type { ReactNode } from "react";

export const inputClass =
  "block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm placeholder:text-slate-400 " +
  "focus:border-indigo-500 aria-[invalid=true]:border-red-500 disabled:bg-slate-100";

/** Props that tie an input to its Field's hint and error text (screen readers read both). */
export function describedBy(id: string, { hint, error }: { hint?: ReactNode; error?: string }) {
  const ids = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ");
  return { id, "aria-invalid": error ? true : undefined, "aria-describedby": ids || undefined } as const;
}

/** A labelled control with optional hint and error text; pass the input (built with describedBy) as children. */
export function Field({
  id, label, hint, error, children, className = "",
}: { id: string; label: ReactNode; hint?: ReactNode; error?: string; children: ReactNode; className?: string }) {
  return (
    <div className={`space-y-1 ${className}`}>
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">{label}</label>
      {children}
      {hint && <p id={`${id}-hint`} className="text-xs text-slate-500">{hint}</p>}
      {error && <p id={`${id}-error`} className="text-sm text-red-700">{error}</p>}
    </div>
  );
}

/** A checkbox with its label on the right; `children` is shown below while it is checked. */
export function CheckboxField({
  id, label, checked, onChange, hint, children,
}: { id: string; label: ReactNode; checked: boolean; onChange: (checked: boolean) => void; hint?: ReactNode; children?: ReactNode }) {
  return (
    <div className="space-y-2">
      <div className="flex items-start gap-2">
        <input
          id={id}
          type="checkbox"
          checked={checked}
          onChange={(e) => onChange(e.target.checked)}
          aria-describedby={hint ? `${id}-hint` : undefined}
          className="mt-0.5 h-4 w-4 rounded border-slate-300 accent-indigo-600"
        />
        <div>
          <label htmlFor={id} className="text-sm font-medium text-slate-800">{label}</label>
          {hint && <p id={`${id}-hint`} className="text-xs text-slate-500">{hint}</p>}
        </div>
      </div>
      {checked && children && <div className="pl-6">{children}</div>}
    </div>
  );
}
