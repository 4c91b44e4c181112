// What the local protocol servers (LINE's Messaging API, an OTLP receiver) share: a request handled once its body
// has arrived, and a JSON answer.
import http from 'node:http';

/** An HTTP server whose handler gets the whole request body. */
export const serverWithBodies = (
	handle: (request: http.IncomingMessage, response: http.ServerResponse, body: Buffer) => void
) =>
	http.createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => handle(request, response, Buffer.concat(chunks)));
	});

export function answerJson(response: http.ServerResponse, status: number, body: unknown) {
	response.writeHead(status, { 'content-type': 'application/json' });
	response.end(JSON.stringify(body));
}
