/**
 * What the record operation suites share: a sandbox, a recording proxy in front of it, and the field mapper's
 * schema per resource as the editor saves it, started once per file and reset before each test.
 */
import type { ICredentialDataDecryptedObject, IDataObject, ResourceMapperField } from 'n8n-workflow';

import { ENTITY_TYPE_VALUES, entityType } from '../../nodes/Bitrix24/helpers/entities';
import { createSandbox } from '../sandbox/server';
import { mapperSchema, runNode } from './engine';
import { askSandbox, personal, recordParameters, startProxy, type RecordInput, type RecordingProxy } from './fixtures';

type WriteOperation = 'create' | 'update' | 'upsert';

/** A write as a test gives it: the parameters without the mapper's schema, which the suite adds. */
export type WriteInput = Omit<RecordInput, 'operation' | 'schema'> & { operation: WriteOperation };

export function recordSuite(operation: WriteOperation, ...others: WriteOperation[]) {
	const sandbox = createSandbox();
	/** Every operation's schemas, by operation and resource. */
	const schemasOf: Record<string, Record<string, ResourceMapperField[]>> = {};
	const suite = {
		sandbox,
		/** Set once the suite started. */
		proxy: undefined as unknown as RecordingProxy,
		/** The first operation's schemas, by resource. */
		schemas: {} as Record<string, ResourceMapperField[]>,
		schemasOf,
		/** Runs one write through the engine with the schema the editor saved for its operation and resource. */
		write: async (input: WriteInput, credentials: ICredentialDataDecryptedObject = personal(sandbox)) =>
			await runNode({ parameters: recordParameters({ ...input, schema: schemasOf[input.operation][input.resource] }), credentials }),
		/** A record as VibeCode stores it now. */
		stored: async (resource: string, id: number) => (await askSandbox(sandbox, 'GET', `/v1/${entityType(resource)!.path}/${id}`)).data as IDataObject,
		/** The creates and updates the sandbox received (searches left out). */
		writes: () => sandbox.requests.filter((r) => r.method === 'POST' || r.method === 'PATCH').filter((r) => !r.path.endsWith('/search')),
	};
	beforeAll(async () => {
		await sandbox.start();
		suite.proxy = await startProxy(sandbox.url);
		for (const op of [operation, ...others]) {
			schemasOf[op] = {};
			for (const resource of ENTITY_TYPE_VALUES) schemasOf[op][resource] = await mapperSchema(personal(sandbox), resource, op);
		}
		Object.assign(suite.schemas, schemasOf[operation]);
	});
	afterAll(async () => {
		await suite.proxy.stop();
		await sandbox.stop();
	});
	beforeEach(() => {
		sandbox.reset();
		suite.proxy.sent.length = 0;
	});
	return suite;
}
