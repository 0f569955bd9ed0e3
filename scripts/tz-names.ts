// npm run tz:names — regenerates lib/tz/zone-names.json from the installed time zone database.
// The browser gets this name list (a few KB) instead of the data; the server validates with it too.
// A unit test fails while the file and the installed database disagree (run this after an update).
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import moment from "moment-timezone";
import meta from "moment-timezone/data/meta/latest.json" with { type: "json" };

export const NAMES_FILE = fileURLToPath(new URL("../lib/tz/zone-names.json", import.meta.url));

export type ZoneNames = {
  version: string;
  source: string;
  /** Names stored as they are: zone.tab locations, UTC, Etc/GMT±N, and names with no single location. */
  zones: string[];
  /** Other accepted names (backward links such as Asia/Calcutta, US/Eastern) -> the name stored. */
  aliases: Record<string, string>;
};

const rulesKey = (name: string) => {
  const z = moment.tz.zone(name)!;
  return JSON.stringify([z.untils, z.offsets, z.abbrs]);
};

/**
 * Every name the database has is accepted. A name is stored as the one location name (zone.tab)
 * with identical rules when there is exactly one, in the same area if several (Asia/Calcutta ->
 * Asia/Kolkata, Asia/Rangoon -> Asia/Yangon, Zulu -> UTC); names several locations share
 * (EST: Panama, Cayman, Atikokan; GB) are kept as typed.
 */
export function buildZoneNames(): ZoneNames {
  const preferred = new Set([...Object.keys(meta.zones), "UTC", "Etc/GMT"]);
  for (const name of moment.tz.names()) if (/^Etc\/GMT[+-][1-9]\d*$/.test(name)) preferred.add(name);
  const byRules = new Map<string, string[]>();
  for (const name of preferred) byRules.set(rulesKey(name), [...(byRules.get(rulesKey(name)) ?? []), name]);
  const zones: string[] = [];
  const aliases: Record<string, string> = {};
  for (const name of [...moment.tz.names()].sort()) {
    const area = name.split("/")[0];
    const all = byRules.get(rulesKey(name)) ?? [];
    // Several locations share rules since tzdb 2022 (Asia/Yangon, Indian/Cocos): prefer the same area.
    const same = all.length > 1 ? all.filter((n) => n.startsWith(`${area}/`)) : all;
    if (preferred.has(name) || same.length !== 1) zones.push(name);
    else aliases[name] = same[0]!;
  }
  return { version: moment.tz.dataVersion, source: `moment-timezone@${moment.tz.version}`, zones, aliases };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const names = buildZoneNames();
  writeFileSync(NAMES_FILE, `${JSON.stringify(names, null, 1)}\n`);
  console.log(`wrote ${NAMES_FILE}: tzdb ${names.version}, ${names.zones.length} zones, ${Object.keys(names.aliases).length} aliases`);
}
