import { serve } from "inngest/next";
import { inngest } from "@/inngest/client";
import { functions } from "@/inngest/index";

// Signed in cloud mode (INNGEST_SIGNING_KEY); open in dev mode for the Dev Server.
export const { GET, POST, PUT } = serve({ client: inngest, functions });
