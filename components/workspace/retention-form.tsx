"use client";
import { useState, type FormEvent } from "react";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { describedBy, Field, inputClass } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import { errorMessage } from "@/components/schedules/api";
import { AdminOnly } from "@/components/schedules/role-gate";
import { saveRunRetention } from "@/components/workspace/api";
import { MIN_RUN_RETENTION_DAYS } from "@/lib/plans";
import type { Role } from "@/lib/roles";

const ID = "run-retention-days";

/** The bounds the API applies: whole days, at least the monitoring windows, at most the plan's maximum. */
export function retentionProblem(raw: string, max: number): string | null {
  const text = raw.trim();
  if (!/^\d+$/.test(text)) return "Enter a whole number of days";
  const days = Number(text);
  if (days < MIN_RUN_RETENTION_DAYS) return `At least ${MIN_RUN_RETENTION_DAYS} days (the monitoring windows look back that far)`;
  if (days > max) return `Your plan keeps run history for at most ${max} days`;
  return null;
}

/** Run history retention: admins change it; members see it with the reason they cannot. */
export function RetentionForm({ days, maxDays, role }: { days: number; maxDays: number; role: Role }) {
  const router = useRouter();
  const toast = useToast();
  const [value, setValue] = useState(String(days));
  const [problem, setProblem] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: saveRunRetention,
    onSuccess: (w) => {
      setValue(String(w.run_retention_days));
      toast(`Run history is kept for ${w.run_retention_days} days`);
      router.refresh();
    },
    onError: (err) => setProblem(errorMessage(err)),
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    const p = retentionProblem(value, maxDays);
    setProblem(p);
    if (!p) save.mutate(Number(value.trim()));
  }
  const hint = `Runs, their analyses and deliveries older than this are deleted daily; daily totals (runs by status, mean health, durations) are kept for charts. ${MIN_RUN_RETENTION_DAYS} to ${maxDays} days on your plan.`;
  return (
    <form onSubmit={submit} noValidate className="space-y-3">
      <Field id={ID} label="Keep run history for (days)" hint={hint} error={problem ?? undefined}>
        <input {...describedBy(ID, { hint, error: problem ?? undefined })} className={`${inputClass} max-w-[10rem]`} inputMode="numeric"
          value={value} onChange={(e) => (setValue(e.target.value), setProblem(null))} readOnly={role !== "admin"} />
      </Field>
      <AdminOnly role={role} label="Save retention">
        <Button type="submit" disabled={save.isPending}>{save.isPending ? "Saving…" : "Save retention"}</Button>
      </AdminOnly>
    </form>
  );
}
