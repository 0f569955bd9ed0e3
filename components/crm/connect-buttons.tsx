"use client";
import { useState } from "react";
import { useMutation } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import { describedBy, Field, inputClass } from "@/components/ui/field";
import { errorMessage } from "@/components/schedules/api";
import { authorize, type OAuthProvider, type SalesforceLogin } from "./api";

/** Sends the browser to the provider's consent page; it comes back to /crm through the callback. */
export function useAuthorize() {
  return useMutation({
    mutationFn: ({ provider, ...body }: { provider: OAuthProvider; login?: SalesforceLogin; my_domain_url?: string; connection_id?: string }) =>
      authorize(provider, body),
    onSuccess: (r) => window.location.assign(r.authorize_url),
  });
}

/** Connect HubSpot / Connect Salesforce; a provider the server has no OAuth app for says which env vars are missing. */
export function ConnectButtons({ missing }: { missing: Record<OAuthProvider, string[]> }) {
  const start = useAuthorize();
  const [login, setLogin] = useState<SalesforceLogin>("production");
  const [myDomain, setMyDomain] = useState("");
  const unset = (p: OAuthProvider) =>
    missing[p].length ? <p className="text-xs text-amber-800">Not set up on this server: set {missing[p].join(" and ")}.</p> : null;
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <div className="space-y-2">
        <Button type="button" onClick={() => start.mutate({ provider: "hubspot" })} disabled={start.isPending || missing.hubspot.length > 0}>
          Connect HubSpot
        </Button>
        {unset("hubspot")}
      </div>
      <div className="space-y-2">
        <Field id="sf-login" label="Salesforce login">
          <select {...describedBy("sf-login", {})} className={inputClass} value={login} onChange={(e) => setLogin(e.target.value as SalesforceLogin)}>
            <option value="production">Production (login.salesforce.com)</option>
            <option value="sandbox">Sandbox (test.salesforce.com)</option>
            <option value="my_domain">My Domain</option>
          </select>
        </Field>
        {login === "my_domain" && (
          <Field id="sf-domain" label="My Domain URL" hint="Like https://acme.my.salesforce.com">
            <input {...describedBy("sf-domain", { hint: "x" })} className={inputClass} value={myDomain} onChange={(e) => setMyDomain(e.target.value)} />
          </Field>
        )}
        <Button
          type="button"
          onClick={() => start.mutate({ provider: "salesforce", login, ...(login === "my_domain" ? { my_domain_url: myDomain } : {}) })}
          disabled={start.isPending || missing.salesforce.length > 0}
        >
          Connect Salesforce
        </Button>
        {unset("salesforce")}
      </div>
      {start.isError && <p role="alert" className="text-sm text-red-700 sm:col-span-2">{errorMessage(start.error)}</p>}
    </div>
  );
}
