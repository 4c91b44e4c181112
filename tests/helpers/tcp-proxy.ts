// A TCP proxy on a free loopback port to a real server, which a test cuts (every open connection dropped, new
// ones refused) and restores: a database connection that drops, with the server itself untouched.
import net from 'node:net';

export interface TcpProxy {
	port: number;
	/** Drops every connection and stops listening, so new ones are refused. */
	cut(): Promise<void>;
	/** Listens again on the same port. */
	restore(): Promise<void>;
	close(): Promise<void>;
}

export interface TcpProxyOptions {
	/** Drops the connection, both ways, as soon as the client sends bytes this accepts (they never arrive). */
	dropWhen?: (sent: Buffer) => boolean;
}

export async function startTcpProxy(
	target: { host: string; port: number },
	options: TcpProxyOptions = {}
): Promise<TcpProxy> {
	const sockets = new Set<net.Socket>();
	const track = (socket: net.Socket) => {
		sockets.add(socket);
		socket.once('close', () => sockets.delete(socket));
		// A dropped connection errors on both sides; that is the point, not a failure of the proxy.
		socket.on('error', () => socket.destroy());
	};
	const server = net.createServer((client) => {
		const upstream = net.connect(target);
		track(client);
		track(upstream);
		client.once('close', () => upstream.destroy());
		upstream.once('close', () => client.destroy());
		upstream.pipe(client);
		const { dropWhen } = options;
		if (!dropWhen) return void client.pipe(upstream);
		client.on('data', (sent: Buffer) => {
			if (dropWhen(sent)) {
				client.destroy();
				upstream.destroy();
			} else upstream.write(sent);
		});
	});
	const listen = (port: number) =>
		new Promise<number>((resolve, reject) => {
			server.once('error', reject);
			server.listen(port, '127.0.0.1', () => {
				server.off('error', reject);
				resolve((server.address() as net.AddressInfo).port);
			});
		});
	const stop = () =>
		new Promise<void>((resolve) => {
			if (!server.listening) return resolve();
			server.close(() => resolve());
			for (const socket of sockets) socket.destroy();
		});
	const port = await listen(0);
	return {
		port,
		cut: stop,
		restore: async () => void (await listen(port)),
		close: stop
	};
}
