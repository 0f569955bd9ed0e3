import { clerkMiddleware } from "@clerk/nextjs/server";
import { NextResponse } from "next/server";

// Clerk verifies the session token on every request. jwtKey must be passed explicitly: @clerk/nextjs 7
// does not read CLERK_JWT_KEY by itself, and with it verification needs no network (no JWKS fetch).
// API routes enforce auth in their handlers (withAuth -> 401 JSON); pages redirect here.
const PUBLIC_PAGES = ["/sign-in", "/sign-out", "/api/"];

export default clerkMiddleware(
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
  { jwtKey: process.env.CLERK_JWT_KEY },
);

export const config = {
  matcher: [
    "/((?!_next|[^?]*\\.(?:html?|css|js(?!on)|jpe?g|webp|png|gif|svg|ttf|woff2?|ico|csv|docx?|xlsx?|zip|webmanifest)).*)",
    "/(api)(.*)",
  ],
};
