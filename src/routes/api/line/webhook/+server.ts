// LINE's webhook: follow, unfollow (and block, which LINE reports as unfollow) for the official account. The
// X-Line-Signature header, an HMAC-SHA256 of the raw body with the channel secret, is the credential; a request
// without a valid one changes nothing. Valid events are answered 200 at once, whatever they were.
import { error } from '@sveltejs/kit';
import { validateSignature } from '@line/bot-sdk';
import { z } from 'zod';
import type { RequestHandler } from './$types';
import { db } from '$lib/server/context';
import { lineChannel } from '$lib/server/line/config';
import { applyLineEvents } from '$lib/server/line/service';

/** LINE's webhook bodies are small (a few events); anything larger is not from LINE. */
const MAX_BODY_BYTES = 1024 * 1024;

// Only what the portal reads is checked; LINE adds fields and event types over time, which pass untouched.
const webhookSchema = z.object({
	events: z.array(
		z.looseObject({
			type: z.string(),
			timestamp: z.number().int().nonnegative(),
			source: z
				.looseObject({ type: z.string().optional(), userId: z.string().max(100).optional() })
				.optional()
		})
	)
});

export const POST: RequestHandler = async ({ request }) => {
	const channel = lineChannel();
	if (!channel) error(404, 'not_found');
	if (Number(request.headers.get('content-length') ?? 0) > MAX_BODY_BYTES) error(413, 'too_large');
	const body = Buffer.from(await request.arrayBuffer());
	if (body.length > MAX_BODY_BYTES) error(413, 'too_large');
	const signature = request.headers.get('x-line-signature') ?? '';
	if (!validateSignature(body, channel.secret, signature)) error(401, 'bad_signature');
	let parsed;
	try {
		parsed = webhookSchema.safeParse(JSON.parse(body.toString('utf8')));
	} catch {
		error(400, 'invalid_json');
	}
	if (!parsed.success) error(400, 'invalid_body');
	await applyLineEvents(db(), parsed.data.events);
	return new Response(null, { status: 200 });
};
