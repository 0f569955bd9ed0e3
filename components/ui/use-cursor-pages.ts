"use client";
import { useInfiniteQuery } from "@tanstack/react-query";

/**
 * A keyset-paged list on the client: the server rendered the first page (`initial`); the next pages
 * are fetched by the `next_cursor` of the last one, and all loaded pages refetch every `refetchInterval` ms.
 */
export function useCursorPages<P extends { next_cursor: string | null }>(queryKey: readonly unknown[], fetchPage: (cursor: string | null) => Promise<P>, initial: P, refetchInterval: number) {
  return useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam }) => fetchPage(pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
    initialData: { pages: [initial], pageParams: [null] },
    refetchInterval,
  });
}
