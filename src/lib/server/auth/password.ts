// Password hashing with argon2id (the parameters OWASP recommends as a minimum: 19 MiB, 2 passes).
import { hash, verify } from '@node-rs/argon2';

const ARGON2ID = 2;
/** What every stored password costs to guess: the portal's only parameters outside the test runner. */
export const PASSWORD_HASH_COST = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
/** The least argon2id allows: a test that signs up thousands of generated users need not pay 100 ms each. */
const TEST_RUNNER_COST = { memoryCost: 1_024, timeCost: 1, parallelism: 1 } as const;

/**
 * The cost for a mode: the cheap one only under the test runner (vitest runs in mode `test`). `vite build` replaces
 * `import.meta.env.MODE` with `production`, so the built portal has only the real cost; the CLI and `vite dev`
 * (no mode `test`) have it too.
 */
export function passwordHashCost(mode: string | undefined) {
	return mode === 'test' ? TEST_RUNNER_COST : PASSWORD_HASH_COST;
}

export function hashPassword(password: string): Promise<string> {
	return hash(password, { algorithm: ARGON2ID, ...passwordHashCost(import.meta.env?.MODE) });
}

/** Verification reads the cost from the stored hash. */
export function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
	return verify(passwordHash, password);
}
