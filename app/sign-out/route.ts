import { NextResponse } from "next/server";

// Local sign-out: drop the session cookies. With real Clerk, UserButton signs out instead.
export function GET(req: Request) {
  const res = NextResponse.redirect(new URL("/sign-in", req.url));
  res.cookies.delete("__session");
  res.cookies.set("__client_uat", "0", { path: "/" });
  return res;
}
