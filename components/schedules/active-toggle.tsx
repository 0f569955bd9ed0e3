"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useToast } from "@/components/ui/toast";
import { errorMessage, scheduleKeys, updateSchedule } from "@/components/schedules/api";

/** Pauses or resumes a schedule in place (PATCH { is_active }). */
export function ActiveToggle({ id, name, isActive }: { id: string; name: string; isActive: boolean }) {
  const [active, setActive] = useState(isActive);
  const router = useRouter();
  const queryClient = useQueryClient();
  const toast = useToast();
  const mutation = useMutation({
    mutationFn: (next: boolean) => updateSchedule(id, { is_active: next }),
    onSuccess: (schedule) => {
      setActive(schedule.is_active);
      queryClient.setQueryData(scheduleKeys.one(id), schedule);
      void queryClient.invalidateQueries({ queryKey: scheduleKeys.all });
      toast(schedule.is_active ? `“${name}” is active again` : `“${name}” is paused`);
      router.refresh(); // the server-rendered next run and badges follow
    },
    onError: (err) => toast(errorMessage(err), "error"),
  });
  const shown = mutation.isPending ? mutation.variables : active;

  return (
    <div className="space-y-1">
      <button
        type="button"
        role="switch"
        aria-checked={shown}
        aria-label={`Active: ${name}`}
        disabled={mutation.isPending}
        onClick={() => mutation.mutate(!active)}
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
      {mutation.isError && (
        <p role="alert" className="max-w-xs text-xs text-red-700">{errorMessage(mutation.error)}</p>
      )}
    </div>
  );
}
