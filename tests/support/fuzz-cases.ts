import { mulberry32 } from "@/lib/crm/demo-data";

// Malformed requests for every operation of the OpenAPI document (tests/reliability/fuzz.test.ts).
// Deterministic: the same document and ids give the same cases in the same order; the few random
// bytes come from a seeded generator.

export type FuzzCase = {
  /** "METHOD /template: what is wrong", for the report */
  label: string;
  method: string;
  /** path + query, already percent-encoded as it goes on the wire */
  url: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array | (() => ReadableStream<Uint8Array>);
  /** false: send without the fuzz tenant's token */
  auth?: boolean;
};

type Param = { name: string; in: string; schema?: Record<string, unknown> };
export type Operation = { method: string; path: string; parameters: Param[]; bodySchema: Record<string, unknown> | null };
export type FuzzContext = {
  /** the id to put in a path template where a well-formed one is needed (per method: writes target another tenant's) */
  idFor: (template: string, method: string) => string;
  /** a valid query per path template (required parameters) */
  validQuery: (template: string) => string;
  /** a valid body per path template + method (so one bad field is the only problem) */
  validBody: (template: string, method: string) => Record<string, unknown>;
};

/** The operations of an OpenAPI document, with each request body's component schema resolved. */
export function operationsOf(doc: { paths: Record<string, Record<string, Record<string, unknown>>>; components: { schemas: Record<string, Record<string, unknown>> } }): Operation[] {
  const resolve = (s: unknown) => {
    const ref = (s as { $ref?: string } | undefined)?.$ref;
    return ref ? doc.components.schemas[ref.split("/").pop()!]! : (s as Record<string, unknown>);
  };
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => {
      const body = (op.requestBody as { content?: Record<string, { schema?: unknown }> } | undefined)?.content?.["application/json"]?.schema;
      return { method: method.toUpperCase(), path, parameters: (op.parameters as Param[] | undefined) ?? [], bodySchema: body ? resolve(body) : null };
    }),
  );
}

const b64 = (s: string) => Buffer.from(s).toString("base64url");

// Path ids: NUL and control characters, bad UTF-8 and percent-encoding, overlong, prototype names,
// number spellings. (Dot segments are left out: the client normalises them away before sending.)
export const BAD_IDS = [
  "%00", "a%00b", "%01", "%0A", "%0D%0A", "%7F", "%1B%5B31m", "%E0%A4%A", "%", "%zz", "%FF", "%C0%AF", "%ED%A0%80", "%F4%90%80%80",
  "x".repeat(65), "x".repeat(3000), "%C3%BC", "%F0%9F%92%A9", "'%20OR%201=1--", "%22%3E%3Cscript%3E", "__proto__", "constructor", "prototype",
  "-1", "0x10", "1e309", "99999999999999999999999", "null", "undefined", "%20", "%09", "a%2Fb", "%5C", "%25", "%u0000",
];

// Query values: number spellings (hex, exponent, signs, spaces, overflow), NUL/control, bad encoding.
export const BAD_QUERY_VALUES = [
  "", "0x10", "0X1F", "1e1", "1E2", "-1", "-0", "1.5", "%2B5", "%205", "5%20", "0b101", "0o7", "99999999999999999999", "1e309", "NaN", "Infinity",
  "%00", "1%00", "%01", "%1F", "%7F", "%FF", "%E0%A4%A", "%", "%C0%AF", "x".repeat(5000), "true", "%5B%5D", "%7B%7D", "__proto__",
];

export const BAD_CURSORS = [
  b64("zzzzzzzzzzzz.abc"), b64(`${(8.64e15 + 1).toString(36)}.abc`), b64("1y2p0ij32e8e8.x"), b64("-1.abc"), b64("."), b64("0."),
  b64(".abc"), b64("0.abc\u0000"), b64("1.a.b"), b64("1.a b"), b64("1.\u00fc"), "!!!!", "%00", "A".repeat(65), b64("ffffffffff.x") + "%00",
  b64("1." + "a".repeat(80)), "%FF", "%E0%A4%A", "Zg", "====",
];

const QUERY_SHAPES = ["__proto__=1", "constructor=1", "prototype=1", "__proto__%5Bx%5D=1", "constructor.prototype=1", "unknown_param=1", "%00=1", "%FF=1", "a=%E0%A4%A"];

// Body field values: wrong types, NUL/control characters, lone surrogates, huge and negative numbers,
// number spellings as strings, prototype keys, oversized strings. Raw JSON text, so 1e400 and \ud800 stay as sent.
export const BAD_FIELD_VALUES = [
  "123", "-1", "0", "1e308", "1e400", "-1e400", "1.5", "true", "null", "[]", "{}", '""', '"\\u0000"', '"a\\u0000b"', '"\\u0001"', '"\\u001f"', '"\\u007f"',
  '"\\u001b[2J"', '"\\ud800"', '"\\udfff\\ud800"', '"0x10"', '"1e1"', '" "', `"${"x".repeat(2000)}"`, '{"__proto__":{"polluted":true}}', '{"constructor":{"prototype":{}}}',
  '[null]', '["\\u0000"]', '[1e400]', '[{"__proto__":1}]',
];

const RAW_BODIES: [string, string | Uint8Array][] = [
  ["empty", ""], ["null", "null"], ["array", "[]"], ["number", "123"], ["string", '"s"'], ["truncated", '{"name":'], ["single quotes", "{'name':'x'}"],
  ["trailing comma", '{"name":"x",}'], ["comment", '{"name":"x" /* c */}'], ["NaN literal", '{"name":NaN}'], ["BOM", "\ufeff{}"],
  ["bad UTF-8", new Uint8Array([0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d])],
  ["overlong UTF-8", new Uint8Array([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xc0, 0xaf, 0x22, 0x7d])],
  ["UTF-16", new Uint8Array(Buffer.from('{"name":"x"}', "utf16le"))],
  ["deep nesting", `{"name":${"[".repeat(20000)}${"]".repeat(20000)}}`], ["deep objects", `${'{"a":'.repeat(5000)}1${"}".repeat(5000)}`],
  ["NUL outside strings", '{"name":"x"}\u0000'], ["two documents", '{"name":"x"}{"name":"y"}'],
];

const CONTENT_TYPES = ["", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonx", "application/xml", "json", "*/*"];

const OVERSIZED = 70 * 1024;

function chunked(bytes: Uint8Array, chunk = 4096): () => ReadableStream<Uint8Array> {
  return () => {
    let offset = 0;
    return new ReadableStream({
      pull(controller) {
        if (offset >= bytes.byteLength) return controller.close();
        controller.enqueue(bytes.subarray(offset, offset + chunk));
        offset += chunk;
      },
    });
  };
}

const fill = (template: string, id: string) => template.replace(/\{\w+\}/g, id);

/** Every malformed request for every operation (the Inngest serve endpoint is fuzzed separately). */
export function fuzzCases(ops: Operation[], ctx: FuzzContext, seed = 11): FuzzCase[] {
  const random = mulberry32(seed);
  const cases: FuzzCase[] = [];
  const add = (c: FuzzCase) => cases.push(c);
  const json = { "content-type": "application/json" };
  const paths = [...new Set(ops.map((o) => o.path))];

  for (const op of ops) {
    const name = `${op.method} ${op.path}`;
    const hasId = op.path.includes("{");
    const url = (id = ctx.idFor(op.path, op.method), query = ctx.validQuery(op.path)) => fill(op.path, id) + (query ? `?${query}` : "");
    const body = op.bodySchema ? JSON.stringify(ctx.validBody(op.path, op.method)) : undefined;
    const withBody = op.bodySchema ? { headers: json, body } : {};

    if (hasId) for (const bad of BAD_IDS) add({ label: `${name}: id ${bad.slice(0, 20)}`, method: op.method, url: url(bad), ...withBody });
    // Corrupt encoding in a fixed segment too: the proxy, not the route, has to answer.
    for (const bad of ["%", "%E0%A4%A", "%FF%FE"]) add({ label: `${name}: path ${bad}`, method: op.method, url: url().replace("/api/", `/api/${bad}`), ...withBody });

    const query = op.parameters.filter((p) => p.in === "query");
    for (const p of query) {
      const values = p.name === "cursor" ? [...BAD_CURSORS, ...BAD_QUERY_VALUES] : BAD_QUERY_VALUES;
      for (const v of values) {
        const rest = ctx.validQuery(op.path).split("&").filter((kv) => kv && !kv.startsWith(`${p.name}=`));
        add({ label: `${name}: ?${p.name}=${v.slice(0, 20)}`, method: op.method, url: url(undefined, [...rest, `${p.name}=${v}`].join("&")) });
      }
      add({ label: `${name}: ?${p.name} twice`, method: op.method, url: url(undefined, `${ctx.validQuery(op.path)}&${p.name}=1&${p.name}=2`) });
      add({ label: `${name}: ?${p.name} without =`, method: op.method, url: url(undefined, `${ctx.validQuery(op.path)}&${p.name}`) });
    }
    if (query.length)
      for (const shape of QUERY_SHAPES) add({ label: `${name}: ?${shape}`, method: op.method, url: url(undefined, `${ctx.validQuery(op.path)}&${shape}`) });

    if (op.bodySchema && body) {
      const fields = Object.keys((op.bodySchema.properties as Record<string, unknown> | undefined) ?? {});
      for (const field of fields)
        for (const v of BAD_FIELD_VALUES) {
          const obj = ctx.validBody(op.path, op.method);
          const raw = JSON.stringify({ ...obj, [field]: "__FUZZ__" }).replace('"__FUZZ__"', v);
          add({ label: `${name}: ${field}=${v.slice(0, 24)}`, method: op.method, url: url(), headers: json, body: raw });
        }
      for (const key of ["__proto__", "constructor", "prototype", "unknown_field", "a\\u0000b"])
        add({ label: `${name}: key ${key}`, method: op.method, url: url(), headers: json, body: body.replace("{", `{"${key}":{"x":1},`) });
      for (const [what, raw] of RAW_BODIES) add({ label: `${name}: body ${what}`, method: op.method, url: url(), headers: json, body: raw });
      for (const type of CONTENT_TYPES)
        add({ label: `${name}: content-type ${type || "(none)"}`, method: op.method, url: url(), headers: type ? { "content-type": type } : {}, body });
      const big = new TextEncoder().encode(JSON.stringify({ ...ctx.validBody(op.path, op.method), description: "x".repeat(OVERSIZED) }));
      add({ label: `${name}: oversized`, method: op.method, url: url(), headers: json, body: big });
      add({ label: `${name}: oversized chunked`, method: op.method, url: url(), headers: json, body: chunked(big) });
      add({ label: `${name}: chunked`, method: op.method, url: url(), headers: json, body: chunked(new TextEncoder().encode(body), 7) });
      const noise = Uint8Array.from({ length: 512 }, () => Math.floor(random() * 256));
      add({ label: `${name}: random bytes`, method: op.method, url: url(), headers: json, body: noise });
    } else if (op.method !== "GET") {
      // Routes that take no body must not choke on one.
      add({ label: `${name}: unexpected body`, method: op.method, url: url(), headers: json, body: '{"__proto__":{"x":1}}' });
      add({ label: `${name}: unexpected oversized chunked body`, method: op.method, url: url(), headers: json, body: chunked(new Uint8Array(OVERSIZED).fill(0x7b)) });
    }

    const junkHeaders: Record<string, string>[] = [{ authorization: "Bearer" }, { authorization: "Bearer x.y.z" }, { authorization: `Bearer ${"a".repeat(8000)}` }, { authorization: "Basic dXNlcjpwYXNz" }, { cookie: "__session=%00%FF; __client_uat=-1" }];
    for (const header of junkHeaders)
      add({ label: `${name}: ${Object.keys(header)[0]} junk`, method: op.method, url: url(), headers: { ...header, ...(op.bodySchema ? json : {}) }, body, auth: false });
  }

  // Paths no route has: 404 in the error shape (the catch-all), whatever the method.
  for (const path of ["/api", "/api/nope", "/api/runs", "/api/runs/x/y/z", "/api/%C3%BC", `/api/${"x".repeat(2000)}`, "/api/scheduled-reviews/x/runs/y"])
    for (const m of ["GET", "POST", "DELETE"]) add({ label: `${m} ${path.slice(0, 40)}: no such route`, method: m, url: path, headers: json, body: m === "GET" ? undefined : "{}" });

  // Methods a path does not have: 405 in the error shape, with Allow.
  for (const path of paths) {
    const has = new Set(ops.filter((o) => o.path === path).map((o) => o.method));
    for (const m of ["GET", "POST", "PUT", "PATCH", "DELETE"].filter((m) => !has.has(m)))
      add({ label: `${m} ${path}: method not allowed`, method: m, url: fill(path, ctx.idFor(path, "GET")), headers: json, body: m === "GET" ? undefined : "{}" });
  }
  return cases;
}

/** Junk for the Inngest serve endpoint: it must answer 4xx, never the SDK's 500 with a stack trace. */
export function inngestJunk(functionId: string): FuzzCase[] {
  const post = (label: string, query: string, body: string | Uint8Array, headers: Record<string, string> = { "content-type": "application/json" }): FuzzCase =>
    ({ label: `POST /api/inngest: ${label}`, method: "POST", url: `/api/inngest${query}`, headers, body, auth: false });
  const fn = `?fnId=${functionId}&stepId=step`;
  return [
    post("no fnId", "", "{}"), post("unknown fnId", "?fnId=nope&stepId=step", "{}"), post("fnId NUL", "?fnId=%00", "{}"), post("fnId bad encoding", "?fnId=%E0%A4%A", "{}"),
    post("empty body", fn, ""), post("not JSON", fn, "garbage"), post("array", fn, "[]"), post("null", fn, "null"), post("empty object", fn, "{}"),
    post("event not an object", fn, '{"event":1,"ctx":{"run_id":"r"}}'), post("run_id a number", fn, '{"event":{},"ctx":{"run_id":1}}'),
    post("version 0", fn, '{"event":{},"version":0,"ctx":{"run_id":"r"}}'), post("version 99", fn, '{"event":{},"version":99,"ctx":{"run_id":"r"}}'),
    post("steps an array", fn, '{"event":{},"steps":[],"ctx":{"run_id":"r"}}'), post("stack junk", fn, '{"event":{},"ctx":{"run_id":"r","stack":{"stack":1}}}'),
    post("bad UTF-8", fn, new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d])), post("unknown probe", "?probe=nope", ""),
    post("text/plain junk", fn, "\u0000\u0001", { "content-type": "text/plain" }),
    { label: "PUT /api/inngest: not JSON", method: "PUT", url: "/api/inngest", body: "garbage", auth: false },
    { label: "PUT /api/inngest: bad UTF-8", method: "PUT", url: "/api/inngest", body: new Uint8Array([0xff, 0xfe]), auth: false },
    { label: "DELETE /api/inngest", method: "DELETE", url: "/api/inngest", auth: false },
  ];
}
