"use client";
import { useState } from "react";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/dialog";
import { inputClass } from "@/components/ui/field";
import { errorMessage } from "@/components/schedules/api";
import { AdminOnly } from "@/components/schedules/role-gate";
import type { Role } from "@/lib/roles";
import type { CrmConnectionDto } from "@/lib/schedules/schemas";
import { deleteConnection, renameConnection, testConnection } from "./api";
import { useAuthorize } from "./connect-buttons";

const LABEL = { demo: "Demo CRM", hubspot: "HubSpot", salesforce: "Salesforce" } as const;
const TONE = { active: "green", expired: "red", error: "amber" } as const;

/** One connection: rename, test, reconnect (OAuth providers), delete (refused while schedules use it); members only test. */
export function ConnectionRow({ connection: c, role }: { connection: CrmConnectionDto; role: Role }) {
  const router = useRouter();
  const [name, setName] = useState(c.name);
  const [renaming, setRenaming] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const done = () => router.refresh();
  const rename = useMutation({ mutationFn: () => renameConnection(c.id, name), onSuccess: () => (setRenaming(false), done()) });
  const test = useMutation({ mutationFn: () => testConnection(c.id), onSettled: done });
  const remove = useMutation({ mutationFn: () => deleteConnection(c.id), onSuccess: () => (setConfirming(false), done()), onError: () => setConfirming(false) });
  const reconnect = useAuthorize();
  const oauth = c.provider !== "demo";
  const error = [rename, test, remove, reconnect].find((m) => m.isError)?.error;
  return (
    <li className="space-y-2 py-3" data-testid={`connection-${c.id}`}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div>
          {renaming ? (
            <form className="flex gap-2" onSubmit={(e) => (e.preventDefault(), rename.mutate())}>
              <input aria-label="Connection name" className={inputClass} value={name} onChange={(e) => setName(e.target.value)} maxLength={100} />
              <Button type="submit" disabled={rename.isPending}>Save</Button>
              <Button type="button" variant="secondary" onClick={() => setRenaming(false)}>Cancel</Button>
            </form>
          ) : (
            <p className="font-medium">{c.name}</p>
          )}
          <p className="text-sm text-slate-600">
            {LABEL[c.provider]}
            {c.instance_url ? ` · ${c.instance_url}` : ""}
          </p>
        </div>
        <Badge tone={TONE[c.status]}>Status: {c.status}</Badge>
      </div>
      {c.status === "expired" && (
        <p className="text-sm text-red-700">{LABEL[c.provider]} no longer accepts this connection. Reconnect it so scheduled reviews can read deals again.</p>
      )}
      {c.last_tested_at && (
        <p className="text-sm text-slate-600" data-testid="last-test">
          Last test: {c.last_test_ok ? "OK" : "failed"} — {c.last_test_message}
        </p>
      )}
      <div className="flex flex-wrap gap-2">
        <Button type="button" variant="secondary" onClick={() => test.mutate()} disabled={test.isPending}>
          {test.isPending ? "Testing…" : "Test connection"}
        </Button>
        {oauth && (
          <AdminOnly role={role} label="Reconnect" idKey={c.id}>
            <Button type="button" variant={c.status === "expired" ? "primary" : "secondary"} disabled={reconnect.isPending}
              onClick={() => reconnect.mutate({ provider: c.provider as "hubspot" | "salesforce", connection_id: c.id })}>
              Reconnect
            </Button>
          </AdminOnly>
        )}
        <AdminOnly role={role} label="Rename" idKey={c.id}>
          <Button type="button" variant="secondary" onClick={() => setRenaming(true)}>Rename</Button>
        </AdminOnly>
        <AdminOnly role={role} label="Delete" idKey={c.id}>
          <Button type="button" variant="danger" onClick={() => setConfirming(true)}>Delete</Button>
        </AdminOnly>
      </div>
      {error ? <p role="alert" className="text-sm text-red-700">{errorMessage(error)}</p> : null}
      <ConfirmDialog open={confirming} title={`Delete ${c.name}?`} confirmLabel="Delete connection" pending={remove.isPending}
        onConfirm={() => remove.mutate()} onClose={() => setConfirming(false)}>
        {oauth ? "Revwatch forgets its tokens and asks the CRM to revoke them." : "The Demo CRM connection is removed."} Schedules that use it must be moved or deleted first.
      </ConfirmDialog>
    </li>
  );
}
