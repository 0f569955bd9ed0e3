"use client";
import { useId, useState } from "react";
import { ConfirmDialog } from "@/components/ui/dialog";
import { inputClass } from "@/components/ui/field";
import { MAX_PAUSE_NOTE } from "@/lib/schedules/constants";

export type PauseInput = { pause_note: string | null; resume_at: string | null };

/** Asks why the schedule is paused and, optionally, when it should resume by itself. */
export function PauseDialog({ open, name, pending, onPause, onClose }: {
  open: boolean; name: string; pending: boolean; onPause: (input: PauseInput) => void; onClose: () => void;
}) {
  const [note, setNote] = useState("");
  const [resume, setResume] = useState("");
  const id = useId();
  return (
    <ConfirmDialog open={open} title={`Pause “${name}”`} confirmLabel="Pause" pendingLabel="Pausing…" pending={pending} onClose={onClose}
      onConfirm={() => onPause({ pause_note: note.trim() || null, resume_at: resume ? new Date(resume).toISOString() : null })}>
      <div className="space-y-3">
        <p>No scheduled runs happen while it is paused; Run now still works.</p>
        <label htmlFor={`${id}-note`} className="block font-medium text-slate-800">Note (why it is paused)</label>
        <textarea id={`${id}-note`} value={note} maxLength={MAX_PAUSE_NOTE} onChange={(e) => setNote(e.target.value)} rows={2} className={inputClass} />
        <label htmlFor={`${id}-resume`} className="block font-medium text-slate-800">Resume at (optional, your time)</label>
        <input id={`${id}-resume`} type="datetime-local" value={resume} onChange={(e) => setResume(e.target.value)} className={inputClass} />
      </div>
    </ConfirmDialog>
  );
}
