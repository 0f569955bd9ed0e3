// The dispatcher's plain-pg pool: an idle connection dying (server restart, network) emits 'error'
// on the pool; with no listener Node throws it and the whole process ends.
import { expect, test } from "vitest";
import { bulkPool } from "@/lib/db";

test("an idle client's connection error is logged, not thrown", async () => {
  const pool = bulkPool("postgresql://postgres@127.0.0.1:1/none");
  expect(() => pool.emit("error", new Error("terminating connection due to administrator command"))).not.toThrow();
  await pool.end();
});
