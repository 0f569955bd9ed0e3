// SSRF guard for outbound URLs a user can choose (Slack webhooks today). Two layers: a syntactic
// check at save time, and a DNS check at send time, because a harmless-looking hostname can
// resolve to an internal address (or be re-pointed after it was saved).
import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";
import { parseUrl as parse, validateSlackWebhookUrl } from "@/lib/delivery/slack-url";

export { validateSlackWebhookUrl };

export type DeliveryErrorCode =
  | "unsafe_destination"
  | "invalid_url"
  | "dns_error"
  | "timeout"
  | "network_error"
  | "redirect"
  | "rate_limited"
  | "request_timeout"
  | "http_4xx"
  | "http_5xx"
  | "slack_webhook_revoked"
  | "resend_auth"
  | "resend_validation"
  | "resend_quota_exceeded"
  | "resend_idempotency_conflict"
  | "invalid_response"
  | (string & {});

export class DeliveryError extends Error {
  code: DeliveryErrorCode;
  retryable: boolean;
  status?: number;

  constructor(
    message: string,
    opts: { code: DeliveryErrorCode; retryable: boolean; status?: number; cause?: unknown },
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = "DeliveryError";
    this.code = opts.code;
    this.retryable = opts.retryable;
    if (opts.status !== undefined) this.status = opts.status;
  }
}

// Separate lists per family: node's BlockList also tests an IPv4 address against IPv6 rules in its
// ::ffff: form, so one list with ::ffff:0:0/96 in it would block every IPv4 address.
const blockedV4 = new BlockList();
const blockedV6 = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8], // "this network"; 0.0.0.0 reaches localhost on Linux
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // CGNAT
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local, includes the 169.254.169.254 metadata service
  ["172.16.0.0", 12],
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.168.0.0", 16],
  ["198.18.0.0", 15], // benchmarking
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved + broadcast
] as const) {
  blockedV4.addSubnet(net, prefix, "ipv4");
}
for (const [net, prefix] of [
  ["::", 128], // unspecified
  ["::1", 128],
  ["::", 96], // deprecated IPv4-compatible
  ["::ffff:0:0", 96], // IPv4-mapped: no reason to use one, and it can hide any IPv4 above
  ["64:ff9b::", 96], // NAT64, embeds an IPv4
  ["2002::", 16], // 6to4, embeds an IPv4
  ["fc00::", 7], // ULA, includes fd00::/8 and AWS's fd00:ec2::254 metadata
  ["fe80::", 10], // link-local
  ["fec0::", 10], // deprecated site-local
  ["ff00::", 8], // multicast
] as const) {
  blockedV6.addSubnet(net, prefix, "ipv6");
}

const loopback = new BlockList();
loopback.addSubnet("127.0.0.0", 8, "ipv4");
loopback.addAddress("::1", "ipv6");

/** Strips URL brackets and a zone id ("fe80::1%eth0"), which BlockList does not understand. */
function bareIp(host: string): string {
  return host.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
}

/** True for any address an outbound request must not reach. Non-IP input counts as blocked. */
export function isBlockedAddress(address: string): boolean {
  const ip = bareIp(address);
  const family = isIP(ip);
  if (family === 0) return true;
  return family === 4 ? blockedV4.check(ip, "ipv4") : blockedV6.check(ip, "ipv6");
}

export function isLoopbackAddress(address: string): boolean {
  const ip = bareIp(address);
  const family = isIP(ip);
  if (family === 0) return false;
  return loopback.check(ip, family === 4 ? "ipv4" : "ipv6");
}

const BLOCKED_HOSTNAMES = new Set(["localhost", "metadata", "metadata.google.internal"]);

function isLocalHostname(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, "");
  return BLOCKED_HOSTNAMES.has(h) || h.endsWith(".localhost");
}

function shapeProblem(url: string, allowLoopback: boolean): { parsed: URL } | { problem: string } {
  const parsed = parse(url);
  if (typeof parsed === "string") return { problem: parsed };
  if (parsed.username || parsed.password) return { problem: "URL must not contain credentials" };
  const host = parsed.hostname;
  if (!host) return { problem: "URL must have a host" };
  const loopbackOk = allowLoopback && (isLoopbackAddress(host) || host.toLowerCase() === "localhost");
  // Plain http is tolerated only for the test-only loopback fakes.
  if (parsed.protocol !== "https:" && !(loopbackOk && parsed.protocol === "http:")) {
    return { problem: "URL must use https" };
  }
  if (loopbackOk) return { parsed };
  if (isLocalHostname(host)) return { problem: "URL must not point at a local host" };
  if (isIP(bareIp(host)) !== 0 && isBlockedAddress(host)) {
    return { problem: "URL must not point at a private, loopback or link-local address" };
  }
  return { parsed };
}

/** Plain http to a loopback address: only the test doubles live there (allowed with ALLOW_LOOPBACK_DELIVERY, refused in production). */
export function isLoopbackHttp(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === "http:" && (isLoopbackAddress(u.hostname) || u.hostname === "localhost");
  } catch {
    return false;
  }
}

/** Save-time check for any user-chosen outbound URL. Null when acceptable, else a message. */
export function validateOutboundUrl(url: string): string | null {
  const result = shapeProblem(url, false);
  return "problem" in result ? result.problem : null;
}

/**
 * Send-time check: every address the host resolves to must be public. Throws DeliveryError.
 * A tiny window remains between this lookup and fetch's own; the same check at save time plus
 * redirect refusal keeps that to a deliberate DNS-rebinding attack on a host the user chose.
 */
export async function assertSafeDestination(url: string, opts: { allowLoopback?: boolean } = {}): Promise<void> {
  const allowLoopback = opts.allowLoopback === true;
  const shape = shapeProblem(url, allowLoopback);
  if ("problem" in shape) throw new DeliveryError(shape.problem, { code: "unsafe_destination", retryable: false });

  const host = bareIp(shape.parsed.hostname);
  let addresses: string[];
  if (isIP(host) !== 0) {
    addresses = [host];
  } else {
    try {
      addresses = (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // NXDOMAIN is usually permanent, but resolvers also fail transiently; let the retry policy decide.
      throw new DeliveryError(`Could not resolve ${host}${code ? ` (${code})` : ""}`, {
        code: "dns_error",
        retryable: true,
        cause: err,
      });
    }
  }
  if (addresses.length === 0) {
    throw new DeliveryError(`Could not resolve ${host}`, { code: "dns_error", retryable: true });
  }
  for (const address of addresses) {
    if (allowLoopback && isLoopbackAddress(address)) continue;
    if (isBlockedAddress(address)) {
      throw new DeliveryError(`${host} resolves to a non-public address`, {
        code: "unsafe_destination",
        retryable: false,
      });
    }
  }
}
