// npm run doctor — what this install runs on: the time zone database (version and source) and
// whether the database is reachable. Exits 1 when a check fails.
import pg from "pg";
import shipped from "../lib/tz/zone-names.json" with { type: "json" };
import { compareTzdbVersions } from "../lib/tz/names";
import { TZDB } from "../lib/tz/zones";

const EMBEDDED_URL = "postgresql://postgres:postgres@127.0.0.1:54329/postgres?sslmode=disable";
let failed = false;
const line = (ok: boolean | "warn", label: string, text: string) => {
  if (ok === false) failed = true;
  console.log(`${ok === true ? "ok  " : ok === "warn" ? "warn" : "FAIL"}  ${label.padEnd(13)} ${text}`);
};

function checkTimeZones() {
  const vsShipped = compareTzdbVersions(TZDB.version, shipped.version);
  line(vsShipped >= 0, "tz database", `IANA ${TZDB.version} from ${TZDB.source}${vsShipped < 0 ? ` — older than the ${shipped.version} this project ships: run npm install` : ""}`);
  if (vsShipped > 0) line(false, "tz names", `lib/tz/zone-names.json is ${shipped.version}: run npm run tz:names`);
  const icu = process.versions.tz;
  if (icu) console.log(`      ${"".padEnd(13)} (Node's bundled ICU has ${icu}; schedules do not use it)`);
}

async function checkDatabase() {
  const url = process.env.DATABASE_URL;
  const client = new pg.Client({ connectionString: url ?? EMBEDDED_URL, connectionTimeoutMillis: 3000 });
  const where = url ? new URL(url).host : "embedded 127.0.0.1:54329";
  try {
    await client.connect();
    const { rows } = await client.query<{ v: string }>("SELECT current_setting('server_version') AS v");
    line(true, "database", `reachable at ${where} (PostgreSQL ${rows[0]?.v ?? "?"})`);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    // Without DATABASE_URL the embedded database only runs while `npm run dev` does.
    line(url ? false : "warn", "database", `unreachable at ${where}: ${reason}${url ? "" : " (npm run dev starts it; or set DATABASE_URL)"}`);
  } finally {
    await client.end().catch(() => {});
  }
}

checkTimeZones();
await checkDatabase();
process.exit(failed ? 1 : 0);
