import Link from "next/link";
import type { ReactNode } from "react";
import { OrganizationSwitcher, UserButton } from "@clerk/nextjs";
import { pageTenant } from "@/app/(app)/page-glue";
import { clerkMode, devToolsAllowed } from "@/lib/env";
import { executorStatus } from "@/lib/executor";

const NAV = [
  ["/schedule", "Schedules"],
  ["/monitoring", "Monitoring"],
  ["/alerts", "Alerts"],
  ["/alerts/settings", "Alert settings"],
  ["/monitors", "Monitors"],
  ["/crm", "CRM"],
  ["/settings", "Workspace"],
] as const;

export default async function AppLayout({ children }: { children: ReactNode }) {
  const tenant = await pageTenant();
  const executor = await executorStatus();
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <nav aria-label="Main" className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3">
          <Link href="/schedule" className="text-lg font-bold text-indigo-700">Revwatch</Link>
          {NAV.map(([href, label]) => (
            <Link key={href} href={href} className="text-sm text-slate-700 hover:text-indigo-700">{label}</Link>
          ))}
          {devToolsAllowed() && (
            <Link href="/dev/outbox" className="text-sm text-slate-700 hover:text-indigo-700">Outbox</Link>
          )}
          {devToolsAllowed() && executor.kind === "local-executor" && (
            <Link href="/dev/executor" className="text-sm text-slate-700 hover:text-indigo-700">Executor</Link>
          )}
          <div className="ml-auto flex items-center gap-3 text-sm text-slate-600">
            <span data-testid="tenant">
              {tenant.orgId ? `org ${tenant.orgId} · ${tenant.role}` : tenant.userId} · {tenant.plan}
            </span>
            {/* With real keys: switch between organizations and the personal workspace (Clerk's own UI). */}
            {clerkMode() === "clerk" && <OrganizationSwitcher afterSelectOrganizationUrl="/schedule" afterSelectPersonalUrl="/schedule" />}
            {clerkMode() === "clerk" ? <UserButton /> : <a href="/sign-out" className="underline">Sign out</a>}
          </div>
        </nav>
      </header>
      {!executor.reachable && (
        <div role="alert" className="bg-amber-100 px-4 py-2 text-center text-sm text-amber-900">
          No Inngest executor is reachable at {executor.url}: scheduled and manual reviews will not run.
          {executor.kind === "local-executor"
            ? <> The local executor stopped: restart <code>npm run dev</code>.</>
            : <> Start the Inngest Dev Server (<code>npx inngest-cli@latest dev</code>), run <code>npm run dev</code> (it starts a local executor when no Dev Server is found), or set INNGEST_DEV=0 with Inngest Cloud keys.</>}
        </div>
      )}
      <main className="mx-auto max-w-6xl px-4 py-6">{children}</main>
    </div>
  );
}
