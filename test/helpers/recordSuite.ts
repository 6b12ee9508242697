/**
 * What the record operation suites share: a sandbox, a recording proxy in front of it, and the field mapper's
 * schema per resource as the editor saves it, started once per file and reset before each test.
 */
import type { ResourceMapperField } from 'n8n-workflow';

import { ENTITY_TYPE_VALUES } from '../../nodes/Bitrix24/helpers/entities';
import { createSandbox } from '../sandbox/server';
import { mapperSchema } from './engine';
import { personal, startProxy, type RecordingProxy } from './fixtures';

export function recordSuite(operation: 'create' | 'update' | 'upsert') {
	const suite = {
		sandbox: createSandbox(),
		/** Set once the suite started. */
		proxy: undefined as unknown as RecordingProxy,
		schemas: {} as Record<string, ResourceMapperField[]>,
	};
	beforeAll(async () => {
		await suite.sandbox.start();
		suite.proxy = await startProxy(suite.sandbox.url);
		for (const resource of ENTITY_TYPE_VALUES) suite.schemas[resource] = await mapperSchema(personal(suite.sandbox), resource, operation);
	});
	afterAll(async () => {
		await suite.proxy.stop();
		await suite.sandbox.stop();
	});
	beforeEach(() => {
		suite.sandbox.reset();
		suite.proxy.sent.length = 0;
	});
	return suite;
}
