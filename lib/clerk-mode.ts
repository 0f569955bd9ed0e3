import { DEV_AUTH_KEYS } from "@/lib/dev-auth";

/** "clerk": a real Clerk instance (ClerkProvider, hosted sign-in). "local": the committed dev identity. */
export function clerkMode(): "clerk" | "local" {
  const pk = process.env.NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY;
  return pk && pk !== DEV_AUTH_KEYS.publishableKey ? "clerk" : "local";
}
