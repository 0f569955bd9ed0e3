import { serve } from "inngest/next";
import { inngest } from "@/inngest/client";
import { functions } from "@/inngest/index";
import { guardInngestPost, guardInngestPut, servedFunctionIds } from "@/lib/inngest-guard";

// Signed in cloud mode (INNGEST_SIGNING_KEY); open in dev mode for the Dev Server. Junk requests get a
// 4xx before the SDK (lib/inngest-guard.ts); the executor's own requests pass through unchanged.
const handlers = serve({ client: inngest, functions });

export const GET = handlers.GET;
// Every function id the SDK serves, onFailure handlers (`<id>-failure`) included.
export const POST = guardInngestPost(handlers.POST, servedFunctionIds(functions, inngest.id));
export const PUT = guardInngestPut(handlers.PUT);
