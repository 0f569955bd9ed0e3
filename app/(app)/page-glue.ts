import { notFound, redirect } from "next/navigation";
import { currentTenant, type Tenant } from "@/lib/auth";
import { isNotFound } from "@/lib/errors";

// Glue for the pages (server components): the signed-in tenant, and lib's not_found as Next's 404 page.

export async function pageTenant(): Promise<Tenant> {
  const tenant = await currentTenant();
  if (!tenant) redirect("/sign-in");
  return tenant;
}

export async function pageOwnerId(): Promise<string> {
  return (await pageTenant()).ownerId;
}

/** Another tenant's id answers the same not-found page as a missing one. */
export async function orNotFound<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (err) {
    if (isNotFound(err)) notFound();
    throw err;
  }
}
