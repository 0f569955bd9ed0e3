import { describe, expect, it } from "vitest";
import { decrypt, encrypt, maskSecret, maskUrl } from "@/lib/crypto";

describe("crypto", () => {
  it("round-trips and never stores the plaintext", () => {
    const secret = "https://hooks.slack.com/services/T000/B000/abcdefSECRET";
    const stored = encrypt(secret);
    expect(stored).not.toContain("SECRET");
    expect(stored.startsWith("v1:")).toBe(true);
    expect(decrypt(stored)).toBe(secret);
    expect(encrypt(secret)).not.toBe(stored); // fresh IV each time
  });

  it("detects tampering", () => {
    const [v, iv, tag, data] = encrypt("token").split(":");
    const flipped = Buffer.from(data, "base64url");
    flipped[0] ^= 1;
    expect(() => decrypt([v, iv, tag, flipped.toString("base64url")].join(":"))).toThrow();
  });

  it("refuses a truncated authentication tag", () => {
    const [v, iv, tag, data] = encrypt("token").split(":");
    const short = Buffer.from(tag, "base64url").subarray(0, 4).toString("base64url");
    expect(() => decrypt([v, iv, short, data].join(":"))).toThrow(/authentication tag/);
  });

  it("masks", () => {
    expect(maskUrl("https://hooks.slack.com/services/T000/B111/XYZsecret1234")).toBe("https://hooks.slack.com/services/T000/••••/••••1234");
    expect(maskSecret("re_1234567890abcdef")).toBe("re_1••••cdef");
    expect(maskSecret("short")).toBe("••••••••");
  });
});
