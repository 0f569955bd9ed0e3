"use client";
import { useMutation, useQueryClient, type InfiniteData } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import { useToast } from "@/components/ui/toast";
import { errorMessage } from "@/components/schedules/api";
import { runKeys, startRun, type RunPage } from "@/components/runs/api";

/** Queues a manual run; the new run goes on top of the unfiltered history at once, then refreshes. */
export function RunNowButton({ scheduleId, disabled }: { scheduleId: string; disabled?: boolean }) {
  const toast = useToast();
  const qc = useQueryClient();
  const mutation = useMutation({
    mutationFn: () => startRun(scheduleId),
    onSuccess: async (run) => {
      toast("Review started!");
      qc.setQueryData<InfiniteData<RunPage>>(runKeys.list(scheduleId, ""), (old) => {
        if (!old?.pages.length || old.pages.some((p) => p.data.some((r) => r.id === run.id))) return old;
        const [first, ...rest] = old.pages;
        return { ...old, pages: [{ ...first!, data: [run, ...first!.data] }, ...rest] };
      });
      await qc.invalidateQueries({ queryKey: runKeys.schedule(scheduleId) });
    },
    onError: (err) => toast(errorMessage(err), "error"),
  });
  return (
    <Button onClick={() => mutation.mutate()} disabled={disabled || mutation.isPending} aria-busy={mutation.isPending}>
      {mutation.isPending ? "Starting…" : "▶ Run now"}
    </Button>
  );
}
