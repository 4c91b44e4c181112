// Where mail goes: an SMTP server through nodemailer when SMTP_URL is set, else the log.
import nodemailer from 'nodemailer';

/** A message as the outbox keeps it and a transport sends it. */
export interface OutgoingEmail {
	to: string;
	subject: string;
	bodyText: string;
	locale: 'th' | 'en';
	/** Extra header fields (e.g. List-Unsubscribe); the transport adds them as they are. */
	headers?: Record<string, string>;
}

export interface MailTransport {
	send(email: OutgoingEmail): Promise<void>;
	close?(): void;
}

export function smtpTransport(url: string, from: string): MailTransport {
	const transporter = nodemailer.createTransport(url);
	return {
		async send(email) {
			await transporter.sendMail({
				from,
				to: email.to,
				subject: email.subject,
				text: email.bodyText,
				headers: email.headers
			});
		},
		close: () => transporter.close()
	};
}

/**
 * Prints each message whole, links included, to the portal's own output: without SMTP that terminal is the only
 * place a verification or reset link can reach the person running the portal. Never served over HTTP.
 */
export function logTransport(log: (message: string) => void): MailTransport {
	return {
		async send(email) {
			log(
				`[mail] to ${email.to}: ${email.subject} (SMTP_URL is not set: printed, not delivered)\n${email.bodyText}`
			);
		}
	};
}
