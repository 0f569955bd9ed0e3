import type { AuditEventDto } from "@/lib/audit/schemas";
import { LocalTime } from "@/components/schedules/local-time";

/** A schedule's audit trail, newest first: who did what, and when. */
export function ActivityList({ events }: { events: AuditEventDto[] }) {
  return (
    <section aria-labelledby="activity-title" className="space-y-2">
      <h2 id="activity-title" className="text-lg font-semibold">Activity</h2>
      {events.length === 0 ? (
        <p className="text-sm text-slate-500">Nothing recorded yet.</p>
      ) : (
        <ol className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white text-sm" data-testid="activity-list">
          {events.map((e) => (
            <li key={e.id} className="flex flex-wrap gap-x-3 px-3 py-2">
              <span className="text-slate-500"><LocalTime iso={e.created_at} /></span>
              <span className="font-medium">{e.actor_id}</span>
              <span className="min-w-0 break-words">{e.summary}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
