import { errorResponse } from "@/lib/http";

// Any /api path (and /api itself) no route file claims: 404 in the API's error shape rather than the HTML not-found page.
// (Every real route is more specific than this catch-all, so it never shadows one.)
const notFound = () => errorResponse("not_found", "No such API endpoint (see /api/openapi.json)");

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
