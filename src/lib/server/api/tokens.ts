// API tokens for partner agencies. The agency gets the token once; the database keeps its SHA-256 (as it does
// for sessions), a short prefix to recognise it by, its scopes, rate and expiry. Issue and revoke are audited;
// every use is counted per route and day.
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Queryable } from '../db';
import { agencies, apiTokenUsage, apiTokens, API_SCOPES } from '../db/schema';
import { recordAudit } from '../audit/record';
import { generateSessionToken, sessionIdOf } from '../auth/session';
import { notFound, UserError } from '../errors';
import { one } from '../db/rows';
import type { Actor } from '../auth/actor';

export type ApiScope = (typeof API_SCOPES)[number];
export { API_SCOPES };

export type ApiTokenRow = typeof apiTokens.$inferSelect;
export type Agency = typeof agencies.$inferSelect;

export interface ApiCaller {
	token: ApiTokenRow;
	agency: Agency;
}

const TOKEN_PREFIX = 'tnp_';
const SHOWN_PREFIX_LENGTH = TOKEN_PREFIX.length + 8;

export interface IssueInput {
	agencyId: string;
	label: string;
	scopes: ApiScope[];
	expiresAt: Date;
	requestsPerMinute: number;
}

/** A new token; the returned secret is the only copy there will ever be. */
export async function issueApiToken(
	db: Queryable,
	actor: Pick<Actor, 'id' | 'email'>,
	input: IssueInput,
	now = new Date()
): Promise<{ secret: string; token: ApiTokenRow }> {
	if (input.expiresAt <= now)
		throw new UserError('expiry_past', 'the expiry must be in the future', { field: 'expiresAt' });
	const [agency] = await db.select().from(agencies).where(eq(agencies.id, input.agencyId));
	if (!agency) throw new UserError('invalid_value', 'unknown agency', { field: 'agencyId' });
	const secret = TOKEN_PREFIX + generateSessionToken();
	const token = one(
		await db
			.insert(apiTokens)
			.values({
				agencyId: input.agencyId,
				label: input.label,
				tokenHash: sessionIdOf(secret),
				prefix: secret.slice(0, SHOWN_PREFIX_LENGTH),
				scopes: [...new Set(input.scopes)],
				requestsPerMinute: input.requestsPerMinute,
				expiresAt: input.expiresAt,
				createdBy: actor.id
			})
			.returning(),
		'insert into apiTokens'
	);
	await recordAudit(db, {
		actorId: actor.id,
		actorLabel: actor.email,
		action: 'api_token.issue',
		subjectType: 'api_token',
		subjectId: token.id,
		after: {
			agency: input.agencyId,
			label: input.label,
			prefix: token.prefix,
			scopes: token.scopes,
			expiresAt: input.expiresAt.toISOString()
		}
	});
	return { secret, token: token };
}

export async function revokeApiToken(
	db: Queryable,
	actor: Pick<Actor, 'id' | 'email'>,
	tokenId: string,
	now = new Date()
) {
	const [token] = await db
		.update(apiTokens)
		.set({ revokedAt: now, revokedBy: actor.id })
		.where(and(eq(apiTokens.id, tokenId), sql`${apiTokens.revokedAt} is null`))
		.returning();
	if (!token) throw notFound('token, or already revoked');
	await recordAudit(db, {
		actorId: actor.id,
		actorLabel: actor.email,
		action: 'api_token.revoke',
		subjectType: 'api_token',
		subjectId: token.id,
		after: { agency: token.agencyId, prefix: token.prefix }
	});
	return token;
}

export type TokenCheck = { caller: ApiCaller } | { refused: 'unknown' | 'expired' | 'revoked' };

/** Who holds this secret, or why it opens nothing. */
export async function checkApiToken(db: Queryable, secret: string, now = new Date()): Promise<TokenCheck> {
	if (!secret.startsWith(TOKEN_PREFIX) || secret.length > 100) return { refused: 'unknown' };
	const [row] = await db
		.select({ token: apiTokens, agency: agencies })
		.from(apiTokens)
		.innerJoin(agencies, eq(agencies.id, apiTokens.agencyId))
		.where(eq(apiTokens.tokenHash, sessionIdOf(secret)));
	if (!row) return { refused: 'unknown' };
	if (row.token.revokedAt) return { refused: 'revoked' };
	if (row.token.expiresAt <= now) return { refused: 'expired' };
	return { caller: row };
}

/** Counts one use of a route by a token (the audit of API use). */
export async function recordTokenUse(db: Queryable, tokenId: string, route: string, now = new Date()) {
	const day = now.toISOString().slice(0, 10);
	await db
		.insert(apiTokenUsage)
		.values({ tokenId, route, day, count: 1, lastAt: now })
		.onConflictDoUpdate({
			target: [apiTokenUsage.tokenId, apiTokenUsage.route, apiTokenUsage.day],
			set: { count: sql`${apiTokenUsage.count} + 1`, lastAt: now }
		});
	await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, tokenId));
}

/** Every token with its agency and total uses, newest first, for the admin page. */
export async function listApiTokens(db: Queryable) {
	const uses = db
		.select({
			tokenId: apiTokenUsage.tokenId,
			total: sql<number>`sum(${apiTokenUsage.count})::int`.as('total')
		})
		.from(apiTokenUsage)
		.groupBy(apiTokenUsage.tokenId)
		.as('uses');
	return db
		.select({
			token: apiTokens,
			agencyNameTh: agencies.nameTh,
			agencyNameEn: agencies.nameEn,
			uses: sql<number>`coalesce(${uses.total}, 0)`
		})
		.from(apiTokens)
		.innerJoin(agencies, eq(agencies.id, apiTokens.agencyId))
		.leftJoin(uses, eq(uses.tokenId, apiTokens.id))
		.orderBy(desc(apiTokens.createdAt));
}

/** One token's uses per route and day, newest first. */
export function tokenUsage(db: Queryable, tokenId: string, limit = 100) {
	return db
		.select()
		.from(apiTokenUsage)
		.where(eq(apiTokenUsage.tokenId, tokenId))
		.orderBy(desc(apiTokenUsage.day), desc(apiTokenUsage.count))
		.limit(limit);
}

export function listAgencies(db: Queryable) {
	return db.select().from(agencies).orderBy(agencies.kind, agencies.id);
}
