// The LINE official account the portal pushes through, from the environment (src/lib/server/env.ts): null when its
// token and secret are not set, and then nobody is offered LINE and nothing is queued for it.
import { env, type Env } from '../env';

export interface LineChannel {
	accessToken: string;
	secret: string;
	baseUrl: string;
	addFriendUrl: string | undefined;
}

export function lineChannel(): LineChannel | null {
	return lineChannelOf(env());
}

export function lineChannelOf(settings: Env): LineChannel | null {
	if (!settings.LINE_CHANNEL_ACCESS_TOKEN || !settings.LINE_CHANNEL_SECRET) return null;
	return {
		accessToken: settings.LINE_CHANNEL_ACCESS_TOKEN,
		secret: settings.LINE_CHANNEL_SECRET,
		baseUrl: settings.LINE_API_BASE_URL,
		addFriendUrl: settings.LINE_ADD_FRIEND_URL
	};
}
