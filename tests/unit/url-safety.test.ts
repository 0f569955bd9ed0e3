import { describe, expect, it } from "vitest";
import {
  DeliveryError,
  assertSafeDestination,
  isBlockedAddress,
  validateOutboundUrl,
  validateSlackWebhookUrl,
} from "@/lib/delivery/url-safety";

describe("validateSlackWebhookUrl", () => {
  it("accepts a real-looking webhook", () => {
    expect(validateSlackWebhookUrl("https://hooks.slack.com/services/T0/B0/xyz")).toBeNull();
    expect(validateSlackWebhookUrl("https://hooks.slack.com/services/T0123ABC/B0456DEF/aBcD1234efGH5678")).toBeNull();
  });

  it.each([
    ["http://hooks.slack.com/services/T0/B0/xyz", /https/],
    ["https://example.com/services/T0/B0/xyz", /hooks\.slack\.com/],
    ["https://hooks.slack.com.evil.com/services/T0/B0/xyz", /hooks\.slack\.com/],
    ["https://evilhooks.slack.com/services/T0/B0/xyz", /hooks\.slack\.com/],
    ["https://user:pass@hooks.slack.com/services/T0/B0/xyz", /credentials/],
    ["https://hooks.slack.com@evil.com/services/T0/B0/xyz", /./],
    ["https://hooks.slack.com:8443/services/T0/B0/xyz", /port/],
    ["https://hooks.slack.com/api/T0/B0/xyz", /services/],
    ["https://hooks.slack.com/services/", /services/],
    ["https://hooks.slack.com/services/T0/B0/../../x", /services/],
    ["https://hooks.slack.com/services/T0/B0/xyz?x=1", /query/],
    [" https://hooks.slack.com/services/T0/B0/xyz", /whitespace/],
    ["not-a-url", /valid/],
    ["not a url", /whitespace/],
    ["", /required/],
  ])("rejects %s", (url, message) => {
    expect(validateSlackWebhookUrl(url)).toMatch(message);
  });
});

describe("validateOutboundUrl", () => {
  it("accepts public https URLs", () => {
    expect(validateOutboundUrl("https://hooks.slack.com/services/T0/B0/xyz")).toBeNull();
    expect(validateOutboundUrl("https://example.com:8443/hook")).toBeNull();
    expect(validateOutboundUrl("https://8.8.8.8/x")).toBeNull();
  });

  it("rejects http, credentials and local names", () => {
    expect(validateOutboundUrl("http://example.com/")).toMatch(/https/);
    expect(validateOutboundUrl("ftp://example.com/")).toMatch(/https/);
    expect(validateOutboundUrl("https://user:pass@example.com/")).toMatch(/credentials/);
    expect(validateOutboundUrl("https://user@example.com/")).toMatch(/credentials/);
    expect(validateOutboundUrl("https://localhost/")).toMatch(/local/);
    expect(validateOutboundUrl("https://LOCALHOST./")).toMatch(/local/);
    expect(validateOutboundUrl("https://api.localhost/")).toMatch(/local/);
    expect(validateOutboundUrl("https://metadata.google.internal/")).toMatch(/local/);
  });

  it.each([
    "0.0.0.0",
    "0.1.2.3",
    "10.0.0.1",
    "10.255.255.255",
    "100.64.0.1",
    "100.127.255.254",
    "127.0.0.1",
    "127.1.2.3",
    "169.254.169.254",
    "169.254.0.1",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.1",
    "[::1]",
    "[::]",
    "[fd00::1]",
    "[fd00:ec2::254]",
    "[fc00::1]",
    "[fe80::1]",
    "[::ffff:127.0.0.1]",
    "[::ffff:169.254.169.254]",
    "[::ffff:8.8.8.8]",
    "[64:ff9b::a00:1]",
    // Alternative IPv4 spellings the URL parser normalises to 127.0.0.1 / 169.254.169.254.
    "2130706433",
    "0x7f.1",
    "0251.0376.0251.0376",
  ])("rejects IP literal %s", (host) => {
    expect(validateOutboundUrl(`https://${host}/hook`)).toMatch(/private|loopback|link-local/);
  });

  it("keeps the neighbours of private ranges public", () => {
    for (const ip of ["172.15.255.255", "172.32.0.1", "100.63.255.255", "100.128.0.1", "11.0.0.1", "192.169.0.1"]) {
      expect(isBlockedAddress(ip)).toBe(false);
    }
    expect(isBlockedAddress("2606:4700::1111")).toBe(false);
    expect(isBlockedAddress("not-an-ip")).toBe(true);
  });
});

describe("assertSafeDestination", () => {
  async function rejection(p: Promise<void>): Promise<DeliveryError> {
    const err = await p.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DeliveryError);
    return err as DeliveryError;
  }

  it("rejects a hostname that resolves to loopback", async () => {
    const err = await rejection(assertSafeDestination("https://localhost:9/hook"));
    expect(err.code).toBe("unsafe_destination");
    expect(err.retryable).toBe(false);
  });

  it("allows loopback, over http too, only when asked", async () => {
    await expect(assertSafeDestination("https://localhost:9/hook", { allowLoopback: true })).resolves.toBeUndefined();
    await expect(assertSafeDestination("http://127.0.0.1:9/hook", { allowLoopback: true })).resolves.toBeUndefined();
    await expect(assertSafeDestination("http://[::1]:9/hook", { allowLoopback: true })).resolves.toBeUndefined();
    expect((await rejection(assertSafeDestination("http://127.0.0.1:9/hook"))).code).toBe("unsafe_destination");
  });

  it("still rejects other private ranges when loopback is allowed", async () => {
    for (const url of ["https://10.0.0.1/", "https://169.254.169.254/latest/meta-data", "https://[fd00::1]/", "http://example.com/"]) {
      const err = await rejection(assertSafeDestination(url, { allowLoopback: true }));
      expect(err.code).toBe("unsafe_destination");
    }
  });

  it("rejects credentials and IP literals without touching DNS", async () => {
    expect((await rejection(assertSafeDestination("https://a:b@8.8.8.8/"))).code).toBe("unsafe_destination");
    expect((await rejection(assertSafeDestination("https://192.168.0.10/"))).code).toBe("unsafe_destination");
  });

  it("accepts a public IP literal (no lookup needed)", async () => {
    await expect(assertSafeDestination("https://8.8.8.8/hook")).resolves.toBeUndefined();
  });

  it("reports an unresolvable host as a retryable dns_error", async () => {
    const err = await rejection(assertSafeDestination("https://does-not-exist.invalid/hook"));
    expect(err.code).toBe("dns_error");
    expect(err.retryable).toBe(true);
  });
});
