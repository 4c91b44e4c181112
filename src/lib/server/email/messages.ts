// The texts of the portal's emails, in the recipient's language (not the language of whoever caused them).
import { m } from '$lib/paraglide/messages';
import type { OutgoingEmail } from './outbox';

type Locale = OutgoingEmail['locale'];
type Kind = 'verify_email' | 'change_email' | 'reset_password' | 'invite';

/**
 * To the owner of an address someone tried to sign up with: the sign-up page answered as if it had worked (so it
 * tells no one which addresses have accounts); the owner learns of it here, with the ways back in.
 */
export function signUpAttemptEmail(to: string, locale: Locale, origin: string): OutgoingEmail {
	const options = { locale };
	const body = m.email_sign_up_attempt_body(
		{ signInLink: `${origin}/sign-in`, resetLink: `${origin}/forgot-password` },
		options
	);
	return {
		to,
		locale,
		subject: m.email_sign_up_attempt_subject({}, options),
		bodyText: `${body}\n\n${m.email_signature({}, options)}`
	};
}

/** The message with its link; `to` and `locale` are the recipient's. */
export function accountEmail(
	kind: Kind,
	to: string,
	locale: Locale,
	link: string,
	extra: { province?: string } = {}
): OutgoingEmail {
	const options = { locale };
	const texts: Record<Kind, { subject: string; body: string }> = {
		verify_email: {
			subject: m.email_verify_subject({}, options),
			body: m.email_verify_body({ link }, options)
		},
		change_email: {
			subject: m.email_change_subject({}, options),
			body: m.email_change_body({ link }, options)
		},
		reset_password: {
			subject: m.email_reset_subject({}, options),
			body: m.email_reset_body({ link }, options)
		},
		invite: {
			subject: m.email_invite_subject({}, options),
			body: m.email_invite_body({ link, province: extra.province ?? '' }, options)
		}
	};
	const { subject, body } = texts[kind];
	return { to, locale, subject, bodyText: `${body}\n\n${m.email_signature({}, options)}` };
}
