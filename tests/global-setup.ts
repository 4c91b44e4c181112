// Once per `npm test`: the PostgreSQL the tests run on (the server TEST_DATABASE_URL names, or an embedded one
// started here in a scratch directory), and a template database migrated and seeded once, from which every test
// file's database is copied (CREATE DATABASE … TEMPLATE) instead of migrating each time.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../src/lib/server/db';
import { EmbeddedPostgres } from '../src/lib/server/db/embedded';
import { seedReferenceData } from '../src/lib/server/reference/seed';

declare module 'vitest' {
	export interface ProvidedContext {
		/** The server's maintenance URL (database `postgres`): test files create their databases through it. */
		testServerUrl: string;
		/** The migrated, seeded database each test file's database is copied from. */
		templateDatabase: string;
		/** A DATA_DIR holding an initialised, stopped embedded cluster (see tests/helpers/data-dir.ts). */
		clusterTemplate: string;
	}
}

export default async function setup(project: TestProject) {
	let server: EmbeddedPostgres | undefined;
	let dataDir: string | undefined;
	let serverUrl = process.env.TEST_DATABASE_URL;
	if (!serverUrl) {
		dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-test-pg-'));
		server = new EmbeddedPostgres({ dataDir, owner: 'cli', log: () => {} });
		await server.start();
		serverUrl = server.databaseUrl('postgres');
	}
	// initdb once for the files that give the portal a DATA_DIR of its own, beside the template's migrations.
	const clusterTemplate = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-test-cluster-'));
	const cluster = new EmbeddedPostgres({ dataDir: clusterTemplate, owner: 'cli', log: () => {} });
	const clusterMade = cluster.start().then(() => cluster.stop());
	const template = `portal_template_${crypto.randomBytes(4).toString('hex')}`;
	const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
	await admin.unsafe(`create database ${template}`);
	const url = new URL(serverUrl);
	url.pathname = `/${template}`;
	const handle = await openDatabase({ url: url.toString(), poolSize: 2, source: 'the test template' });
	await handle.migrate();
	await seedReferenceData(handle.db);
	await handle.close();
	await clusterMade;
	project.provide('testServerUrl', serverUrl);
	project.provide('clusterTemplate', clusterTemplate);
	project.provide('templateDatabase', template);
	return async () => {
		await admin.unsafe(`drop database if exists ${template} with (force)`);
		await admin.end();
		await server?.stop();
		if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
		fs.rmSync(clusterTemplate, { recursive: true, force: true });
	};
}
