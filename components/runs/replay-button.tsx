"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import { useToast } from "@/components/ui/toast";
import { errorMessage } from "@/components/schedules/api";
import { replayRun, runKeys } from "@/components/runs/api";

/** On a failed run: re-runs it as itself; the page then follows it through queued -> running -> done. */
export function ReplayButton({ runId, scheduleId }: { runId: string; scheduleId: string }) {
  const toast = useToast();
  const qc = useQueryClient();
  const mutation = useMutation({
    mutationFn: () => replayRun(runId),
    onSuccess: async (run) => {
      toast("Replay queued: deliveries already sent will not be sent again");
      qc.setQueryData(runKeys.one(runId), run);
      await qc.invalidateQueries({ queryKey: runKeys.schedule(scheduleId) });
    },
    onError: (err) => toast(errorMessage(err), "error"),
  });
  return (
    <Button variant="secondary" onClick={() => mutation.mutate()} disabled={mutation.isPending} aria-busy={mutation.isPending}>
      {mutation.isPending ? "Replaying…" : "↻ Replay"}
    </Button>
  );
}
