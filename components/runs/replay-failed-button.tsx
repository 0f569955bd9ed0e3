"use client";
import { useId, useState } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/dialog";
import { inputClass } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import { errorMessage } from "@/components/schedules/api";
import { replayFailedRuns, runKeys } from "@/components/runs/api";

const DAY = 864e5;
/** A <input type="datetime-local"> value for a time, in the browser's zone. */
const localValue = (ms: number) => {
  const d = new Date(ms);
  return new Date(ms - d.getTimezoneOffset() * 60e3).toISOString().slice(0, 16);
};

/** "Replay failed runs": each failed run whose slot is in the chosen range runs again, once. */
export function ReplayFailedButton({ scheduleId }: { scheduleId: string }) {
  const toast = useToast();
  const qc = useQueryClient();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const mutation = useMutation({
    mutationFn: () => replayFailedRuns(scheduleId, { from: new Date(from).toISOString(), to: new Date(to).toISOString() }),
    onSuccess: async (r) => {
      setOpen(false);
      const more = r.remaining ? ` (${r.remaining} more: replay again)` : "";
      toast(r.replayed ? `Replaying ${r.replayed} failed run(s)${more}` : "No failed runs in that range");
      await qc.invalidateQueries({ queryKey: runKeys.schedule(scheduleId) });
    },
    onError: (err) => toast(errorMessage(err), "error"),
  });
  const show = () => {
    const now = Date.now();
    setFrom(localValue(now - 7 * DAY));
    setTo(localValue(now + 60e3));
    setOpen(true);
  };
  return (
    <>
      <Button variant="secondary" onClick={show}>↻ Replay failed runs</Button>
      <ConfirmDialog
        open={open}
        title="Replay failed runs"
        confirmLabel="Replay"
        pendingLabel="Replaying…"
        pending={mutation.isPending}
        onConfirm={() => mutation.mutate()}
        onClose={() => setOpen(false)}
      >
        <p>Each failed run whose slot falls in this range runs again, once. Deliveries that already went out are not sent again.</p>
        <div className="mt-3 grid gap-3 sm:grid-cols-2">
          <label htmlFor={`${id}-from`} className="space-y-1 text-sm font-medium text-slate-800">
            From
            <input id={`${id}-from`} type="datetime-local" className={inputClass} value={from} onChange={(e) => setFrom(e.target.value)} />
          </label>
          <label htmlFor={`${id}-to`} className="space-y-1 text-sm font-medium text-slate-800">
            To
            <input id={`${id}-to`} type="datetime-local" className={inputClass} value={to} onChange={(e) => setTo(e.target.value)} />
          </label>
        </div>
      </ConfirmDialog>
    </>
  );
}
