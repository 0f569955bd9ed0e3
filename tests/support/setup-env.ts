// Per-file test environment: deterministic defaults that never point at a real service.
process.env.ENCRYPTION_KEY ??= "0".repeat(64);
process.env.INNGEST_DEV ??= "1";
