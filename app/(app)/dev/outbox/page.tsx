import Link from "next/link";
import { notFound } from "next/navigation";
import { EmptyState } from "@/components/ui/card";
import { pageOwnerId } from "@/app/(app)/page-glue";
import { devToolsAllowed } from "@/lib/env";
import { listOutbox, type OutboxItem } from "@/lib/delivery/outbox";
import { HeaderRow } from "@/components/ui/header-row";
import { DeliveryStatusBadge, ViaLabel } from "./parts";

export const metadata = { title: "Dev outbox · Revwatch" };

function when(item: OutboxItem) {
  return new Date(item.sentAt ?? item.createdAt).toISOString().slice(0, 16).replace("T", " ") + " UTC";
}

export default async function OutboxPage() {
  // A development tool: production has real providers and no outbox.
  if (!devToolsAllowed()) notFound();
  const items = await listOutbox(await pageOwnerId());

  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-2xl font-semibold">Dev outbox</h1>
        <p className="mt-1 text-sm text-slate-600">
          Every review email and Slack message rendered for this workspace, newest first. Without RESEND_API_KEY emails
          stop here instead of being sent.
        </p>
      </div>
      {items.length === 0 ? (
        <EmptyState title="No messages yet">Run a review with email or Slack delivery to see its messages here.</EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-left text-sm">
            <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase text-slate-500">
              <HeaderRow columns={["Message", "Channel", "To", "Status", "When"]} cellClassName="px-3 py-2" />
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={item.id} className="border-b border-slate-100 last:border-0" data-testid="outbox-row">
                  <td className="px-3 py-2">
                    <Link href={`/dev/outbox/${item.id}`} className="font-medium text-indigo-700 hover:underline">
                      {item.title}
                    </Link>
                    <div className="text-xs text-slate-500">{item.scheduleName}</div>
                  </td>
                  <td className="px-3 py-2 capitalize">{item.channel}</td>
                  <td className="px-3 py-2 font-mono text-xs">{item.target}</td>
                  <td className="px-3 py-2">
                    <DeliveryStatusBadge status={item.status} />
                    <ViaLabel via={item.via} />
                  </td>
                  <td className="px-3 py-2 whitespace-nowrap text-slate-600">{when(item)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
