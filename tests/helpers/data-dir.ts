// A scratch DATA_DIR whose embedded PostgreSQL cluster already exists: a copy of the one the global set-up made with
// initdb, so a test that is not about creating the cluster does not pay initdb's seconds again. The copy keeps its
// owner (the server's system user when the tests run as root) and its password file.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { inject } from 'vitest';
import { tempDir } from './meili';

export function dataDirWithCluster(prefix: string): string {
	const dataDir = tempDir(prefix);
	const template = inject('clusterTemplate');
	execFileSync('cp', [
		'-a',
		path.join(template, 'postgres'),
		path.join(template, 'postgres.password'),
		dataDir
	]);
	return dataDir;
}
