"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useToast } from "@/components/ui/toast";
import { errorMessage, scheduleKeys, updateSchedule, type PatchBody } from "@/components/schedules/api";
import { PauseDialog } from "@/components/schedules/pause-dialog";
import { ADMIN_ONLY_REASON, type Role } from "@/lib/roles";

/** Pauses (with a note and an optional resume time) or resumes a schedule in place; members see it read-only. */
export function ActiveToggle({ id, name, isActive, role = "admin" }: { id: string; name: string; isActive: boolean; role?: Role }) {
  const [active, setActive] = useState(isActive);
  const [asking, setAsking] = useState(false);
  const router = useRouter();
  const queryClient = useQueryClient();
  const toast = useToast();
  const mutation = useMutation({
    mutationFn: (body: PatchBody) => updateSchedule(id, body),
    onSuccess: (schedule) => {
      setActive(schedule.is_active);
      setAsking(false);
      queryClient.setQueryData(scheduleKeys.one(id), schedule);
      void queryClient.invalidateQueries({ queryKey: scheduleKeys.all });
      toast(schedule.is_active ? `“${name}” is active again` : `“${name}” is paused`);
      router.refresh(); // the server-rendered next run and badges follow
    },
    onError: (err) => toast(errorMessage(err), "error"),
  });
  const shown = mutation.isPending ? mutation.variables.is_active : active;
  const readOnly = role !== "admin";

  return (
    <div className="space-y-1">
      <button
        type="button"
        role="switch"
        aria-checked={shown}
        aria-label={`Active: ${name}`}
        disabled={mutation.isPending || readOnly}
        title={readOnly ? ADMIN_ONLY_REASON : undefined}
        onClick={() => (active ? setAsking(true) : mutation.mutate({ is_active: true }))}
        className="group inline-flex items-center gap-2 rounded-full py-1 text-sm disabled:opacity-60"
      >
        <span
          aria-hidden
          className={`relative h-5 w-9 rounded-full transition ${shown ? "bg-emerald-600" : "bg-slate-300"}`}
        >
          <span className={`absolute top-0.5 h-4 w-4 rounded-full bg-white shadow transition ${shown ? "left-[1.125rem]" : "left-0.5"}`} />
        </span>
        <span className="w-12 text-left text-slate-700">{shown ? "Active" : "Paused"}</span>
      </button>
      <PauseDialog open={asking} name={name} pending={mutation.isPending} onClose={() => setAsking(false)}
        onPause={(input) => mutation.mutate({ is_active: false, ...input })} />
      {mutation.isError && (
        <p role="alert" className="max-w-xs text-xs text-red-700">{errorMessage(mutation.error)}</p>
      )}
    </div>
  );
}
