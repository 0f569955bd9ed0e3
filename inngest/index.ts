import type { InngestFunction } from "inngest";

// Every function the serve endpoint registers. One function per file in ./functions.
export const functions: InngestFunction.Any[] = [];
