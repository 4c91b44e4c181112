// A minimal SMTP server for tests: speaks just enough of RFC 5321 for nodemailer to deliver, and keeps each
// message it receives. Real network traffic, no mock of the transport.
import net from 'node:net';

export interface ReceivedMail {
	from: string;
	to: string[];
	data: string;
}

export async function startSmtpServer(): Promise<{
	port: number;
	received: ReceivedMail[];
	/** While true, every recipient is answered `421 try again later`, as a greylisting server does at first. */
	greylisting: boolean;
	close(): Promise<void>;
}> {
	const received: ReceivedMail[] = [];
	const state = { greylisting: false };
	const server = net.createServer((socket) => {
		let buffer = '';
		let inData = false;
		let mail: ReceivedMail = { from: '', to: [], data: '' };
		const reply = (line: string) => socket.write(`${line}\r\n`);
		reply('220 test-smtp ready');
		socket.on('data', (chunk) => {
			buffer += chunk.toString('utf8');
			let end: number;
			while ((end = buffer.indexOf('\r\n')) >= 0) {
				const line = buffer.slice(0, end);
				buffer = buffer.slice(end + 2);
				if (inData) {
					if (line === '.') {
						inData = false;
						received.push(mail);
						mail = { from: '', to: [], data: '' };
						reply('250 queued');
					} else mail.data += `${line.startsWith('..') ? line.slice(1) : line}\n`;
					continue;
				}
				const command = line.slice(0, 4).toUpperCase();
				if (command === 'EHLO' || command === 'HELO') reply('250 test-smtp');
				else if (command === 'MAIL') {
					mail.from = line.slice(10).replace(/[<>]/g, '').split(' ')[0]!;
					reply('250 ok');
				} else if (command === 'RCPT') {
					if (state.greylisting) {
						reply('421 4.7.0 greylisted, try again later');
						socket.end();
						continue;
					}
					mail.to.push(line.slice(8).replace(/[<>]/g, ''));
					reply('250 ok');
				} else if (command === 'DATA') {
					inData = true;
					reply('354 end with .');
				} else if (command === 'QUIT') {
					reply('221 bye');
					socket.end();
				} else reply('250 ok');
			}
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const port = (server.address() as net.AddressInfo).port;
	return {
		port,
		received,
		get greylisting() {
			return state.greylisting;
		},
		set greylisting(on: boolean) {
			state.greylisting = on;
		},
		close: () => new Promise((resolve) => server.close(() => resolve()))
	};
}
