// First-load JavaScript per page of a `next build`, gzipped: the root chunks every page loads plus
// the chunks of the page's own entry and its layouts (from the client reference manifests).
// `node scripts/first-load-js.mjs [--max-kb 200] [--json artifacts/first-load-js.json]`; exits 1
// when a page is over --max-kb. Run it after `npm run build` (NEXT_DIST_DIR picks another build).
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

const args = process.argv.slice(2);
const arg = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const dist = process.env.NEXT_DIST_DIR ?? ".next";
const maxKb = arg("max-kb") === undefined ? null : Number(arg("max-kb"));
const jsonOut = arg("json", "artifacts/first-load-js.json");

if (!fs.existsSync(path.join(dist, "build-manifest.json"))) {
  console.error(`No build in ${dist}: run \`npm run build\` first.`);
  process.exit(2);
}
const build = JSON.parse(fs.readFileSync(path.join(dist, "build-manifest.json"), "utf8"));
const gz = new Map();
const gzipKb = (file) => {
  if (!gz.has(file)) gz.set(file, zlib.gzipSync(fs.readFileSync(path.join(dist, file))).length / 1024);
  return gz.get(file);
};

function* manifests(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* manifests(p);
    else if (e.name === "page_client-reference-manifest.js") yield p;
  }
}

const pages = [];
for (const file of manifests(path.join(dist, "server", "app"))) {
  globalThis.__RSC_MANIFEST = {};
  new Function(fs.readFileSync(file, "utf8"))();
  const [route, manifest] = Object.entries(globalThis.__RSC_MANIFEST)[0];
  if (route.startsWith("/_")) continue; // Next's own error pages
  const chunks = new Set([...build.rootMainFiles, ...Object.values(manifest.entryJSFiles ?? {}).flat()].map((c) => c.replace(/^\/?_next\//, "")));
  const kb = [...chunks].reduce((n, c) => n + gzipKb(c), 0);
  pages.push({ route: route.replace(/\/page$/, "") || "/", kb: Number(kb.toFixed(1)), chunks: chunks.size });
}
pages.sort((a, b) => b.kb - a.kb);
const width = Math.max(...pages.map((p) => p.route.length));
console.log(`first-load JS per page (gzip, ${dist}):`);
for (const p of pages) console.log(`  ${p.route.padEnd(width)}  ${p.kb.toFixed(1).padStart(6)} KB  (${p.chunks} chunks)${maxKb !== null && p.kb > maxKb ? "  OVER" : ""}`);
fs.mkdirSync(path.dirname(jsonOut), { recursive: true });
fs.writeFileSync(jsonOut, JSON.stringify({ dist, maxKb, pages }, null, 2));
const over = maxKb === null ? [] : pages.filter((p) => p.kb > maxKb);
if (over.length) {
  console.error(`${over.length} page(s) over ${maxKb} KB: ${over.map((p) => p.route).join(", ")}`);
  process.exit(1);
}
