import type { Deal } from "@/lib/reviews/types";

export type { Deal };

export interface FetchDealsOptions {
  /** Aborts in-flight requests; connectors reject with CrmError("crm_timeout") when it fires. */
  signal?: AbortSignal;
}

/** Implemented by every CRM connector (HubSpot, Salesforce, Demo). */
export interface CrmClient {
  /** All open deals, normalised, following pagination to the end. */
  fetchOpenDeals(opts?: FetchDealsOptions): Promise<Deal[]>;
}

export type CrmErrorCode =
  | "crm_auth_expired"
  | "crm_unavailable"
  | "crm_rate_limited"
  | "crm_timeout"
  | "crm_bad_response";

/** Whether a retry can succeed without user action (auth and malformed data need a human). */
const RETRYABLE: Readonly<Record<CrmErrorCode, boolean>> = {
  crm_auth_expired: false,
  crm_unavailable: true,
  crm_rate_limited: true,
  crm_timeout: true,
  crm_bad_response: false,
};

export interface CrmErrorOptions {
  retryable?: boolean;
  retryAfterMs?: number;
  cause?: unknown;
}

export class CrmError extends Error {
  readonly code: CrmErrorCode;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;

  constructor(code: CrmErrorCode, message: string, opts: CrmErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = "CrmError";
    this.code = code;
    this.retryable = opts.retryable ?? RETRYABLE[code];
    if (opts.retryAfterMs !== undefined) this.retryAfterMs = opts.retryAfterMs;
  }
}

export function isCrmError(err: unknown): err is CrmError {
  return err instanceof CrmError;
}
