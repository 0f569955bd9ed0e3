import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { currentTenant, type Tenant } from "@/lib/auth";
import { isNotFound } from "@/lib/errors";
import { isResourceId } from "@/lib/http";

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

/**
 * One tenant-scoped read of a page's resource, shared by the [id] layout and its page within a request
 * (React cache). A malformed id (NUL, too long) names nothing: the not-found page, not a database error.
 */
export const readForPage = cache(<T>(read: (ownerId: string, id: string) => Promise<T>, ownerId: string, id: string): Promise<T> =>
  isResourceId(id) ? orNotFound(read(ownerId, id)) : notFound(),
);

/** The [id] route's resource for this tenant (cached per request: metadata, layout and page share one read). */
export async function readRoute<T>(read: (ownerId: string, id: string) => Promise<T>, params: Promise<{ id: string }>): Promise<T> {
  const [ownerId, { id }] = await Promise.all([pageOwnerId(), params]);
  return readForPage(read, ownerId, id);
}

/**
 * For an [id] segment's layout: the resource must exist for this tenant before the segment's loading
 * boundary streams, or the not-found page would go out with status 200 (notFound() after streaming
 * starts cannot change the status).
 */
export async function requireFound<T>(read: (ownerId: string, id: string) => Promise<T>, params: Promise<{ id: string }>): Promise<void> {
  await readRoute(read, params);
}
