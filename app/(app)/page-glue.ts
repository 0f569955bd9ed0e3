import { notFound, redirect } from "next/navigation";
import { currentTenant } from "@/lib/auth";
import { ApiError } from "@/lib/http";

// Glue for the run pages (server components): the tenant, and lib's 404 as Next's not-found page.

export async function pageOwnerId(): Promise<string> {
  const tenant = await currentTenant();
  if (!tenant) redirect("/sign-in");
  return tenant.ownerId;
}

/** Another tenant's id answers the same not-found page as a missing one. */
export async function orNotFound<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) notFound();
    throw err;
  }
}
