import Link from "next/link";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { Card } from "@/components/ui/card";
import { orNotFound, pageOwnerId } from "@/app/(app)/page-glue";
import { devToolsAllowed } from "@/lib/env";
import { getOutboxMessage } from "@/lib/delivery/outbox";
import type { EmailPayload, SlackPayload } from "@/lib/delivery/payload";
import { DeliveryStatusBadge, ViaLabel } from "../parts";
import { SlackBlocks } from "./slack-blocks";

export const metadata = { title: "Outbox message · Revwatch" };

function Meta({ rows }: { rows: [string, ReactNode][] }) {
  return (
    <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
      {rows.map(([k, v]) => (
        <div key={k} className="contents">
          <dt className="text-slate-500">{k}</dt>
          <dd className="break-all">{v}</dd>
        </div>
      ))}
    </dl>
  );
}

function EmailView({ email }: { email: EmailPayload }) {
  return (
    <>
      <Card title="Email as sent">
        {/* sandbox="": no scripts, forms, navigation or same-origin access from the message's HTML. */}
        <iframe
          title="Rendered email"
          sandbox=""
          srcDoc={email.html}
          className="h-[900px] w-full rounded border border-slate-200 bg-white"
        />
      </Card>
      <Card title="Plain-text part">
        <pre className="whitespace-pre-wrap text-sm">{email.text}</pre>
      </Card>
    </>
  );
}

function SlackView({ slack }: { slack: SlackPayload }) {
  return (
    <>
      <Card title="Slack message">
        <SlackBlocks blocks={slack.blocks} />
      </Card>
      <Card title="Block Kit JSON">
        <pre className="max-h-[600px] overflow-auto text-xs">{JSON.stringify(slack, null, 2)}</pre>
      </Card>
    </>
  );
}

export default async function OutboxMessagePage({ params }: { params: Promise<{ id: string }> }) {
  if (!devToolsAllowed()) notFound();
  const { id } = await params;
  const m = await orNotFound(getOutboxMessage(await pageOwnerId(), id));

  const rows: [string, ReactNode][] = [
    ["Schedule", m.scheduleName],
    ["Channel", m.channel === "email" ? "Email" : "Slack"],
  ];
  if (m.channel === "email" && m.email) rows.push(["From", m.email.from], ["To", m.email.to.join(", ")]);
  else rows.push(["To", m.target]);
  rows.push(
    ["Status", <><DeliveryStatusBadge status={m.status} /><ViaLabel via={m.via} /></>],
    ["Attempts", m.attempts],
    ["Created", m.createdAt],
    ["Sent", m.sentAt ?? "—"],
  );
  if (m.errorCode) rows.push(["Error", `${m.errorCode}: ${m.errorMessage ?? ""}`]);

  return (
    <div className="space-y-4">
      <Link href="/dev/outbox" className="text-sm text-indigo-700 hover:underline">← Dev outbox</Link>
      <h1 className="text-xl font-semibold">{m.title}</h1>
      <Card>
        <Meta rows={rows} />
      </Card>
      {m.channel === "email" && m.email ? <EmailView email={m.email} /> : null}
      {m.channel === "slack" && m.slack ? <SlackView slack={m.slack} /> : null}
    </div>
  );
}
