import { Inngest } from "inngest";

// Dev mode (INNGEST_DEV=1) talks to the Dev Server at INNGEST_BASE_URL (default http://localhost:8288);
// cloud mode needs INNGEST_EVENT_KEY and INNGEST_SIGNING_KEY. The SDK reads those from the environment.
export const inngest = new Inngest({ id: "revwatch" });
