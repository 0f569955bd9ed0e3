import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

// Layering, enforced (DESIGN.md "Layout"): one rule per zone, each import pattern with its reason.
const TESTS = { regex: "^(@/tests/|(\\.\\./)+tests/|\\./tests/)", message: "Product code and scripts never import tests/ (tests import them)." };
const DEV_IDENTITY = {
  regex: "^(@/lib/|(\\.\\./)+lib/|\\./)dev-auth(-keys\\.json)?$",
  message: "Production code never imports the development identity (only the local sign-in action, npm run token and tests).",
};
const SERVER_ONLY = {
  regex: "^(@/lib/|(\\.\\./)+lib/)(db|auth|env|crypto|http|errors|log|executor|inngest-send|rate-limit)$",
  message: "Server-only module: a component must not import it (pass data from the page, or call the API).",
};
const LIB_IMPORTS_UP = {
  regex: "^(@/(app|components)/|@/inngest/(functions/|index|with-tick)|(\\.\\./)+(app|components|inngest/functions)/)",
  message: "lib/ is the domain: it never imports app/, components/ or inngest functions (only the inngest client and event contract).",
};
const restrict = (patterns, paths = []) => ({ "no-restricted-imports": ["error", { paths, patterns }] });

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: ["lib/generated/**", ".next/**", ".next-*/**", "node_modules/**", "test-results/**", "playwright-report/**", "artifacts/**", ".data/**", "next-env.d.ts"],
  },
  { files: ["app/**", "components/**", "lib/**", "inngest/**", "scripts/**", "proxy.ts", "instrumentation.ts"], rules: restrict([TESTS, DEV_IDENTITY]) },
  { files: ["lib/**"], rules: restrict([TESTS, DEV_IDENTITY, LIB_IMPORTS_UP]) },
  {
    files: ["components/**"],
    rules: restrict([
      TESTS,
      DEV_IDENTITY,
      SERVER_ONLY,
      { regex: "^@/(inngest|app)/", message: "Components render; they reach the server through the API or a page's props." },
    ]),
  },
  {
    // The Inngest contract is a leaf: lib imports it, so it must not import lib back.
    files: ["inngest/client.ts", "inngest/events.ts"],
    rules: restrict([{ regex: "^(@/lib/|(\\.\\./)+lib/)", message: "inngest/client and inngest/events are the contract lib depends on: no lib imports here." }]),
  },
  // The development identity's own users: the local sign-in action, `npm run token` and the bench's API load.
  { files: ["app/sign-in/actions.ts", "scripts/token.ts", "scripts/bench/api.ts", "lib/dev-auth.ts"], rules: restrict([TESTS]) },
];

export default config;
