import Link from "next/link";
import type { CheckItem, CheckState } from "@/lib/schedules/checklist";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { RefreshWhile } from "@/components/schedules/refresh-while";

const STATE: Record<CheckState, { icon: string; text: string; tone: BadgeTone }> = {
  ok: { icon: "✓", text: "OK", tone: "green" },
  pending: { icon: "…", text: "Waiting", tone: "blue" },
  problem: { icon: "✗", text: "Needs attention", tone: "red" },
  off: { icon: "–", text: "Off", tone: "slate" },
};

/**
 * The guide's success indicators as a live checklist: rendered on the server from the schedule, its
 * latest run and the executor; while a run is in progress the page refreshes itself until it settles.
 */
export function SuccessChecklist({ items, runInProgress }: { items: CheckItem[]; runInProgress: boolean }) {
  return (
    <section aria-labelledby="checklist-title" className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <h2 id="checklist-title" className="text-lg font-semibold">Success indicators</h2>
      <ul className="mt-3 divide-y divide-slate-100">
        {items.map((item) => {
          const state = STATE[item.state];
          return (
            // Phones: badge, text and link stacked; wider screens: one row per indicator.
            <li key={item.key} data-testid={`check-${item.key}`} data-state={item.state} className="flex flex-col gap-1 py-2 text-sm sm:flex-row sm:items-start sm:gap-3">
              <Badge tone={state.tone} className="w-fit shrink-0 justify-start sm:w-36">
                <span aria-hidden className="mr-1">{state.icon}</span>
                {state.text}
              </Badge>
              <div className="min-w-0 flex-1">
                <p className="font-medium">{item.label}</p>
                <p className="break-words text-slate-600">{item.detail}</p>
              </div>
              {/* External (Inngest) links open as plain anchors; in-app ones through the router. */}
              {item.link.href.startsWith("http") ? (
                <a href={item.link.href} className="shrink-0 text-indigo-700 underline">{item.link.label}</a>
              ) : (
                <Link href={item.link.href} className="shrink-0 text-indigo-700 underline">{item.link.label}</Link>
              )}
            </li>
          );
        })}
      </ul>
      <RefreshWhile active={runInProgress} />
    </section>
  );
}
