// Reads a password: from a prompt with echo off on a terminal, else the first line of stdin (scripts, CI).
import readline from 'node:readline';

export async function readPassword(): Promise<string> {
	if (!process.stdin.isTTY) {
		let input = '';
		for await (const chunk of process.stdin) input += chunk;
		return input.split(/\r?\n/)[0] ?? '';
	}
	const first = await ask('Password (at least 10 characters): ');
	const second = await ask('Repeat the password: ');
	if (first !== second) throw new Error('the two passwords differ');
	return first;
}

function ask(question: string): Promise<string> {
	const rl = readline.createInterface({ input: process.stdin, output: process.stderr, terminal: true });
	const output = rl as unknown as { _writeToOutput: (text: string) => void };
	process.stderr.write(question);
	// Echo nothing while the password is typed.
	output._writeToOutput = () => {};
	return new Promise((resolve) =>
		rl.question('', (answer) => {
			rl.close();
			process.stderr.write('\n');
			resolve(answer);
		})
	);
}
