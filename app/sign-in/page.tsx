import { SignIn } from "@clerk/nextjs";
import { clerkMode, devToolsAllowed } from "@/lib/env";
import { LocalSignInForm } from "./local-sign-in-form";
import { safeRedirectPath } from "@/lib/safe-redirect";

export const metadata = { title: "Sign in · Revwatch" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ redirect_url?: string; error?: string }> }) {
  const { redirect_url, error } = await searchParams;
  if (clerkMode() === "clerk")
    return <main className="flex min-h-screen items-center justify-center"><SignIn /></main>;
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
        <h1 className="text-xl font-semibold">Sign in to Revwatch</h1>
        {devToolsAllowed() ? (
          <>
            <p className="mt-1 text-sm text-slate-600">Local development sign-in: no Clerk keys are configured.</p>
            {error && <p role="alert" className="mt-3 text-sm text-red-700">{error}</p>}
            <LocalSignInForm redirectUrl={safeRedirectPath(redirect_url)} />
          </>
        ) : (
          <p role="alert" className="mt-3 text-sm text-red-700">
            Sign-in is not configured: set NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY and CLERK_SECRET_KEY.
          </p>
        )}
      </div>
    </main>
  );
}
