import { clerkMiddleware } from "@clerk/nextjs/server";
import { NextResponse, type NextFetchEvent, type NextRequest } from "next/server";
import { allowedMethods, isWellEncodedPath } from "@/lib/api-routes";
import { tokenVerificationOptions } from "@/lib/auth";
import { errorResponse, inputProblems } from "@/lib/http";

// Clerk verifies the session token on every request. jwtKey must be passed explicitly: @clerk/nextjs 7
// does not read CLERK_JWT_KEY by itself, and with it verification needs no network (no JWKS fetch).
// iss and azp are checked too (lib/auth.ts). API routes enforce auth in their handlers (withAuth ->
// 401 JSON); pages redirect here.
const PUBLIC_PAGES = ["/sign-in", "/sign-out", "/api/"];

const clerk = clerkMiddleware(
  async (auth, req) => {
    const path = req.nextUrl.pathname;
    if (PUBLIC_PAGES.some((p) => path.startsWith(p))) return;
    const { userId } = await auth();
    if (!userId) {
      const url = new URL("/sign-in", req.url);
      url.searchParams.set("redirect_url", path + req.nextUrl.search);
      return NextResponse.redirect(url);
    }
  },
  () => tokenVerificationOptions(),
);

const OAUTH_CALLBACK = /^\/api\/crm-connections\/callback\/(hubspot|salesforce)$/;
const isApi = (path: string) => path === "/api" || path.startsWith("/api/");

export default async function proxy(req: NextRequest, event: NextFetchEvent) {
  const path = req.nextUrl.pathname;
  // Next would answer a bare text/plain 500 for these before any handler runs.
  if (!isWellEncodedPath(path)) return errorResponse("validation_error", "The URL path has malformed percent-encoding");
  if (isApi(path)) {
    // Next drops a __proto__ query key before the handler sees it (so it would pass silently); refuse
    // it, other prototype keys and control characters here, for every route.
    const problems = inputProblems(Object.fromEntries(req.nextUrl.searchParams));
    if (problems.length) return errorResponse("validation_error", "The query string is invalid", problems);
    const allowed = allowedMethods(path);
    if (allowed && !allowed.includes(req.method)) {
      const res = errorResponse("method_not_allowed", `${req.method} is not supported here; use ${allowed.join(", ")}`);
      res.headers.set("Allow", allowed.join(", "));
      return res;
    }
  }
  // The OAuth providers' redirect back: a cross-site document GET that Clerk would answer with a
  // session handshake. Its handler needs no session (it re-posts same-origin; lib/crm/route-handlers.ts).
  if (req.method === "GET" && OAUTH_CALLBACK.test(path)) return NextResponse.next();
  const res = await clerk(req, event);
  // An API call is never sent to Clerk's handshake (which would put the session token in a URL):
  // whatever made Clerk redirect (an expired cookie on a browser navigation), the API answers 401.
  if (isApi(path) && res && res.status >= 300 && res.status < 400)
    return errorResponse("unauthorized", "Sign in or send a valid Bearer token");
  return res;
}

export const config = {
  matcher: [
    "/((?!_next|[^?]*\\.(?:html?|css|js(?!on)|jpe?g|webp|png|gif|svg|ttf|woff2?|ico|csv|docx?|xlsx?|zip|webmanifest)).*)",
    "/(api)(.*)",
  ],
};
