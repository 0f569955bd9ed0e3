"use client";
import { useRouter } from "next/navigation";
import { useMutation, useQueryClient, type InfiniteData } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import { useToast } from "@/components/ui/toast";
import { errorMessage } from "@/components/schedules/api";
import { runKeys, startRun, type RunPage } from "@/components/runs/api";

/**
 * Queues a manual run; the new run goes on top of the unfiltered history at once. Success or not,
 * the lists it affects refresh: a run-now the executor refused still left a failed run behind, so
 * the history (client queries) and the server-rendered last run, checklist and upcoming list reload.
 */
export function RunNowButton({ scheduleId, scheduleName, disabled }: { scheduleId: string; scheduleName?: string; disabled?: boolean }) {
  const toast = useToast();
  const qc = useQueryClient();
  const router = useRouter();
  const mutation = useMutation({
    mutationFn: () => startRun(scheduleId),
    onSuccess: (run) => {
      toast("Review started!");
      qc.setQueryData<InfiniteData<RunPage>>(runKeys.list(scheduleId, ""), (old) => {
        if (!old?.pages.length || old.pages.some((p) => p.data.some((r) => r.id === run.id))) return old;
        const [first, ...rest] = old.pages;
        return { ...old, pages: [{ ...first!, data: [run, ...first!.data] }, ...rest] };
      });
    },
    onError: (err) => toast(errorMessage(err), "error"),
    onSettled: async () => {
      router.refresh();
      await qc.invalidateQueries({ queryKey: runKeys.schedule(scheduleId) });
    },
  });
  return (
    <Button
      onClick={() => mutation.mutate()}
      disabled={disabled || mutation.isPending}
      aria-busy={mutation.isPending}
      aria-label={scheduleName ? `Run now: ${scheduleName}` : undefined}
    >
      {mutation.isPending ? "Starting…" : "▶ Run now"}
    </Button>
  );
}
