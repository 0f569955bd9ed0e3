// What a Delivery row stores as `payload`: exactly what was (or would be) sent. Retries resend the
// stored payload, so a step retry posts the same bytes (Resend answers 409 to the same
// Idempotency-Key with a different body) even if the schedule was edited in between.
import { z } from "zod";

export const emailPayloadSchema = z.object({
  from: z.string(),
  to: z.array(z.string()),
  subject: z.string(),
  html: z.string(),
  text: z.string(),
});
export type EmailPayload = z.infer<typeof emailPayloadSchema>;

export const slackPayloadSchema = z.object({
  text: z.string(),
  blocks: z.array(z.unknown()),
});
export type SlackPayload = z.infer<typeof slackPayloadSchema>;

/** "alice@acme.com" -> "a•••@acme.com": enough to recognise, not enough to harvest. */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf("@");
  if (at <= 0) return "•••";
  return `${address[0]}•••${address.slice(at)}`;
}

/** "a•••@acme.com (+2)" for three recipients. */
export function maskRecipients(to: readonly string[]): string {
  if (to.length === 0) return "";
  const more = to.length - 1;
  return more > 0 ? `${maskEmail(to[0])} (+${more})` : maskEmail(to[0]);
}
