"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/dialog";
import { useToast } from "@/components/ui/toast";
import { deleteSchedule, errorMessage, scheduleKeys } from "@/components/schedules/api";

export function DeleteScheduleButton({ id, name }: { id: string; name: string }) {
  const [open, setOpen] = useState(false);
  const router = useRouter();
  const queryClient = useQueryClient();
  const toast = useToast();
  const mutation = useMutation({
    mutationFn: () => deleteSchedule(id),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: scheduleKeys.one(id) });
      void queryClient.invalidateQueries({ queryKey: scheduleKeys.all });
      setOpen(false);
      toast(`Deleted “${name}”`);
      router.push("/schedule");
      router.refresh();
    },
  });
  return (
    <>
      <Button type="button" variant="danger" onClick={() => { mutation.reset(); setOpen(true); }}>
        Delete schedule
      </Button>
      <ConfirmDialog
        open={open}
        title={`Delete “${name}”?`}
        confirmLabel="Delete schedule"
        pendingLabel="Deleting…"
        pending={mutation.isPending}
        onConfirm={() => mutation.mutate()}
        onClose={() => setOpen(false)}
      >
        <p>The schedule stops running, and its run history and analyses are deleted with it. This can&apos;t be undone.</p>
        {mutation.isError && <p role="alert" className="mt-2 text-red-700">Not deleted: {errorMessage(mutation.error)}</p>}
      </ConfirmDialog>
    </>
  );
}
