import { NextResponse } from "next/server";
import { buildOpenApiDocument } from "@/lib/openapi";

// Public on purpose: it documents the API and exposes no data.
let doc: ReturnType<typeof buildOpenApiDocument> | undefined;

export function GET() {
  doc ??= buildOpenApiDocument();
  return NextResponse.json(doc);
}
