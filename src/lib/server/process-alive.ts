// Whether a process id is running: used by the embedded database's lock and by the Meilisearch manager to
// tell a live owner from one that died.
export function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		// EPERM: it exists but belongs to another user; ESRCH: no such process.
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}
