// Thin wrapper over the Resend SDK (v6). The SDK never throws for API or network failures: it
// returns { data, error }, with error.statusCode null when no HTTP answer came back (including
// our own timeout, whose abort it swallows). This maps that into DeliveryError.
import { Resend } from "resend";
import { DeliveryError } from "@/lib/delivery/url-safety";

export type SendEmailInput = {
  apiKey: string;
  from: string;
  to: string[];
  subject: string;
  html: string;
  text: string;
  /** Same key within 24h = Resend returns the first email's id instead of sending again. */
  idempotencyKey: string;
  /** Overrides the API origin (tests). Without it the SDK uses RESEND_BASE_URL, else https://api.resend.com. */
  baseUrl?: string;
  timeoutMs?: number;
};

type ResendError = { message: string; statusCode: number | null; name: string };

export function deliveryErrorFromResend(error: ResendError): DeliveryError {
  const status = error.statusCode ?? undefined;
  const msg = `Resend: ${error.message || error.name}${status ? ` (${status})` : ""}`;
  const fail = (code: string, retryable: boolean) => new DeliveryError(msg, { code, retryable, status });

  if (status === undefined) return fail("network_error", true);
  if (error.name === "monthly_quota_exceeded" || error.name === "daily_quota_exceeded") {
    // A 429, but waiting minutes will not help; surface it to the user instead.
    return fail("resend_quota_exceeded", false);
  }
  if (status === 429) return fail("rate_limited", true);
  if (status === 409) {
    // Another request with this key is still in flight: retrying later gets its result.
    if (error.name === "concurrent_idempotent_requests") return fail("rate_limited", true);
    return fail("resend_idempotency_conflict", false);
  }
  if (status === 408) return fail("request_timeout", true);
  if (status >= 500) return fail("http_5xx", true);
  if (status === 401 || status === 403) return fail("resend_auth", false);
  return fail("resend_validation", false);
}

export async function sendEmailViaResend(input: SendEmailInput): Promise<{ id: string }> {
  // The SDK falls back to RESEND_API_KEY when the key is empty; we want the configured key or nothing.
  if (!input.apiKey) throw new DeliveryError("Resend API key is not configured", { code: "resend_auth", retryable: false });
  if (input.to.length === 0) throw new DeliveryError("No recipients", { code: "resend_validation", retryable: false });

  const resend = new Resend(input.apiKey, input.baseUrl ? { baseUrl: input.baseUrl.replace(/\/+$/, "") } : undefined);
  const { data, error } = await resend.emails.send(
    { from: input.from, to: input.to, subject: input.subject, html: input.html, text: input.text },
    { idempotencyKey: input.idempotencyKey, signal: AbortSignal.timeout(input.timeoutMs ?? 15_000) },
  );
  if (error) throw deliveryErrorFromResend(error);
  if (!data?.id) {
    // Safe to retry: the idempotency key makes a repeat return the original email.
    throw new DeliveryError("Resend answered without an email id", { code: "invalid_response", retryable: true });
  }
  return { id: data.id };
}
