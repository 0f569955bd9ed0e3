// A readable approximation of Block Kit for the outbox; not Slack's renderer, just its content.
type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Text of a text object, with Slack's three escapes undone for display. */
function textOf(v: unknown): string {
  const raw = isObj(v) && typeof v.text === "string" ? v.text : "";
  return raw.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

function Block({ block }: { block: unknown }) {
  if (!isObj(block)) return null;
  switch (block.type) {
    case "header":
      return <p className="text-lg font-bold">{textOf(block.text)}</p>;
    case "divider":
      return <hr className="border-slate-200" />;
    case "section":
      return (
        <div>
          {block.text ? <p className="whitespace-pre-wrap">{textOf(block.text)}</p> : null}
          {list(block.fields).length > 0 && (
            <div className="mt-1 grid grid-cols-2 gap-2 sm:grid-cols-3">
              {list(block.fields).map((f, i) => (
                <p key={i} className="whitespace-pre-wrap text-sm">{textOf(f)}</p>
              ))}
            </div>
          )}
        </div>
      );
    case "actions":
      return (
        <div className="flex flex-wrap gap-2">
          {list(block.elements).map((el, i) => (
            <span key={i} className="rounded border border-slate-300 px-2 py-1 text-sm">
              {textOf(isObj(el) ? el.text : null)}
              {isObj(el) && typeof el.url === "string" ? <span className="ml-2 text-xs text-slate-500">{el.url}</span> : null}
            </span>
          ))}
        </div>
      );
    case "context":
      return <p className="text-xs text-slate-500">{list(block.elements).map(textOf).join(" ")}</p>;
    default:
      return <p className="text-xs text-slate-400">[{String(block.type)} block]</p>;
  }
}

export function SlackBlocks({ blocks }: { blocks: unknown[] }) {
  return (
    <div className="space-y-3 border-l-4 border-slate-300 pl-3" data-testid="slack-blocks">
      {blocks.map((b, i) => (
        <Block key={i} block={b} />
      ))}
    </div>
  );
}
