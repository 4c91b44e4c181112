// Where mail goes: an SMTP server through nodemailer when SMTP_URL is set, else the log.
import nodemailer from 'nodemailer';
import type { OutgoingEmail } from './outbox';

export interface MailTransport {
	send(email: OutgoingEmail): Promise<void>;
	close?(): void;
}

export function smtpTransport(url: string, from: string): MailTransport {
	const transporter = nodemailer.createTransport(url);
	return {
		async send(email) {
			await transporter.sendMail({ from, to: email.to, subject: email.subject, text: email.bodyText });
		},
		close: () => transporter.close()
	};
}

/**
 * Prints each message. Outside production the whole text is printed, links included, so a developer can
 * follow them; in production only who and what, since the links open accounts.
 */
export function logTransport(
	log: (message: string) => void,
	{ showBody }: { showBody: boolean }
): MailTransport {
	return {
		async send(email) {
			const head = `[mail] to ${email.to}: ${email.subject}`;
			log(showBody ? `${head}\n${email.bodyText}` : `${head} (SMTP_URL is not set: not delivered)`);
		}
	};
}
