"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { connectDemoCrm, errorMessage, scheduleKeys } from "@/components/schedules/api";

/** A tenant with no CRM connection gets the Demo CRM in one click (the list itself never creates one). */
export function DemoCrmButton({ onConnected }: { onConnected?: (id: string) => void }) {
  const queryClient = useQueryClient();
  const router = useRouter();
  const connect = useMutation({
    mutationFn: connectDemoCrm,
    onSuccess: async (c) => {
      await queryClient.invalidateQueries({ queryKey: scheduleKeys.connections });
      onConnected?.(c.id);
      router.refresh(); // server-rendered lists (the CRM page) show it too
    },
  });
  return (
    <div className="flex flex-wrap items-center gap-2">
      <Button type="button" variant="secondary" onClick={() => connect.mutate()} disabled={connect.isPending}>
        {connect.isPending ? "Connecting…" : "Use the Demo CRM"}
      </Button>
      {connect.isError && <p role="alert" className="text-sm text-red-700">{errorMessage(connect.error)}</p>}
    </div>
  );
}
