// Who may read the operator's views (/metrics, /health's full report): a request bearing OPERATOR_TOKEN. Without
// the setting there is no operator view at all, so nothing internal answers by default.
import { timingSafeEqual } from 'node:crypto';

/** 'none': no OPERATOR_TOKEN is set; 'refused': a token is missing or wrong; 'operator': the token matches. */
export function operatorAccess(request: Request, token: string | undefined): 'none' | 'refused' | 'operator' {
	if (!token) return 'none';
	const given = /^Bearer (.+)$/.exec(request.headers.get('authorization') ?? '')?.[1] ?? '';
	const a = Buffer.from(given);
	const b = Buffer.from(token);
	return a.length === b.length && timingSafeEqual(a, b) ? 'operator' : 'refused';
}
