import type { ReactNode } from "react";
import { ADMIN_ONLY_REASON, type Role } from "@/lib/roles";

/**
 * What only an organization admin may use: the control itself for admins; for members the same label,
 * disabled, with the reason next to it (a tooltip alone is invisible on touch screens).
 */
export function AdminOnly({ role, label, idKey = "", children }: { role: Role; label: string; idKey?: string; children: ReactNode }) {
  if (role === "admin") return <>{children}</>;
  // idKey tells apart the same label repeated on one page (a Delete per row).
  const reasonId = `admin-only-${`${label}-${idKey}`.toLowerCase().replace(/\W+/g, "-").replace(/-$/, "")}`;
  return (
    <span className="inline-flex flex-col items-start gap-0.5">
      <button type="button" disabled aria-describedby={reasonId} title={ADMIN_ONLY_REASON}
        className="inline-flex cursor-not-allowed items-center rounded-md border border-slate-200 bg-slate-50 px-3 py-2 text-sm font-medium text-slate-400">
        {label}
      </button>
      <span id={reasonId} className="max-w-[14rem] text-xs text-slate-500" data-testid="admin-only-reason">{ADMIN_ONLY_REASON}</span>
    </span>
  );
}
