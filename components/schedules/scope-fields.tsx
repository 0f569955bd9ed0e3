"use client";
import { useQuery } from "@tanstack/react-query";
import { describedBy, Field, inputClass } from "@/components/ui/field";
import { errorMessage } from "@/components/schedules/api";
import { fetchOptions } from "@/components/crm/api";
import type { ScopeValues } from "@/components/schedules/form-model";

type Option = { id: string; label: string };

function Checklist({ legend, options, selected, onChange }: { legend: string; options: Option[]; selected: string[]; onChange: (ids: string[]) => void }) {
  if (!options.length) return null;
  return (
    <fieldset className="space-y-1">
      <legend className="text-sm font-medium text-slate-800">{legend}</legend>
      {options.map((o) => (
        <label key={o.id} className="flex items-center gap-2 text-sm text-slate-700">
          <input type="checkbox" className="h-4 w-4 accent-indigo-600" checked={selected.includes(o.id)}
            onChange={(e) => onChange(e.target.checked ? [...selected, o.id] : selected.filter((id) => id !== o.id))} />
          {o.label}
        </label>
      ))}
    </fieldset>
  );
}

/** The scan scope, chosen from the connection's live pipelines, stages and owners (none ticked: all open deals). */
export function ScopeFields({ id, connectionId, value, onChange, error }: {
  id: string; connectionId: string; value: ScopeValues; onChange: (v: ScopeValues) => void; error?: string;
}) {
  const options = useQuery({ queryKey: ["crm-options", connectionId], queryFn: () => fetchOptions(connectionId), enabled: !!connectionId, staleTime: 60_000 });
  if (!connectionId) return null;
  const o = options.data;
  const set = (patch: Partial<ScopeValues>) => onChange({ ...value, ...patch });
  const stages = o ? o.stages.filter((s) => !value.pipeline_ids.length || s.pipeline_id === null || value.pipeline_ids.includes(s.pipeline_id)) : [];
  return (
    <div id={id} className="space-y-3" data-testid="scan-scope">
      <h3 className="text-sm font-semibold text-slate-800">Which deals</h3>
      {options.isPending && <p className="text-sm text-slate-500">Loading the CRM&apos;s pipelines…</p>}
      {options.isError && <p role="alert" className="text-sm text-red-700">Couldn&apos;t load the CRM&apos;s lists: {errorMessage(options.error)}</p>}
      {o && !o.scopable && <p className="text-sm text-slate-600">Every open deal of the Demo CRM is reviewed.</p>}
      {o?.scopable && (
        <>
          <p className="text-xs text-slate-500">Leave everything unticked to review every open deal.</p>
          <div className="grid gap-4 sm:grid-cols-3">
            <Checklist legend="Pipelines" options={o.pipelines} selected={value.pipeline_ids} onChange={(pipeline_ids) => set({ pipeline_ids })} />
            <Checklist legend="Stages" options={stages} selected={value.stage_ids} onChange={(stage_ids) => set({ stage_ids })} />
            <Checklist legend="Owners" options={o.owners} selected={value.owner_ids} onChange={(owner_ids) => set({ owner_ids })} />
          </div>
          <Field id={`${id}-min`} label="Minimum amount (optional)">
            <input {...describedBy(`${id}-min`, {})} type="number" min={0} className={inputClass} value={value.min_amount} onChange={(e) => set({ min_amount: e.target.value })} />
          </Field>
        </>
      )}
      {error && <p className="text-sm text-red-700">{error}</p>}
    </div>
  );
}
