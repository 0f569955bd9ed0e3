// Why a connect flow did not finish, as a code the callback puts in /crm?connect_error=<code>. The page
// shows the message for a known code (and a generic one otherwise): no text from the URL is ever shown,
// so a crafted link cannot put words on Revwatch's page. Zod-free: the page imports it.

export const CONNECT_ERROR_MESSAGES = {
  access_denied: "You declined the authorization on the CRM's consent page, so nothing was connected.",
  provider_refused: "The CRM refused the authorization request. Try connecting again; if it keeps failing, check the OAuth app's settings.",
  token_exchange_failed: "The CRM did not hand over access for the authorization it gave. Try connecting again.",
  no_refresh_token: "The CRM granted no refresh token, so the connection would stop working within hours. Give the connected app the refresh_token (offline access) scope, then connect again.",
} as const;
export type ConnectErrorCode = keyof typeof CONNECT_ERROR_MESSAGES;

const GENERIC = "The connection did not finish. Try connecting again.";

/** The message for a connect_error value from the URL: a known code's text, else the generic one. */
export function connectErrorMessage(code: string): string {
  return Object.hasOwn(CONNECT_ERROR_MESSAGES, code) ? CONNECT_ERROR_MESSAGES[code as ConnectErrorCode] : GENERIC;
}
