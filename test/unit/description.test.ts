/** The node's and the credential's descriptions, without any network. */
import type { INodeProperties } from 'n8n-workflow';

import { Bitrix24VibeApi } from '../../credentials/Bitrix24VibeApi.credentials';
import { Bitrix24 } from '../../nodes/Bitrix24/Bitrix24.node';
import * as codex from '../../nodes/Bitrix24/Bitrix24.node.json';
import * as pkg from '../../package.json';

const { description } = new Bitrix24();
const property = (name: string) => description.properties.find((p) => p.name === name) as INodeProperties;
const options = (p: INodeProperties) => (p.options as Array<{ name: string; value: string; action?: string }>) ?? [];

test('is an action node usable as an AI tool, with the credential, icons and subtitle', () => {
	expect(description).toMatchObject({
		name: 'bitrix24',
		displayName: 'Bitrix24',
		version: 1,
		usableAsTool: true,
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'bitrix24VibeApi', required: true }],
		icon: { light: 'file:bitrix24.svg', dark: 'file:bitrix24.dark.svg' },
	});
	expect(description.subtitle).toContain('$parameter["operation"]');
	expect(description.name.endsWith('Trigger')).toBe(false);
});

test('Resource Automation Trigger with Fire and Get Many, alphabetical, with actions', () => {
	expect(options(property('resource'))).toEqual([{ name: 'Automation Trigger', value: 'automationTrigger' }]);
	const operation = property('operation');
	expect(operation.noDataExpression).toBe(true);
	expect(options(operation).map((o) => [o.name, o.value, o.action])).toEqual([
		['Fire', 'fire', 'Fire an automation trigger'],
		['Get Many', 'getMany', 'Get many automation triggers'],
	]);
});

test('Entity Type lists the six CRM types, alphabetically, defaulting to deal', () => {
	const entityType = property('entityType');
	expect(options(entityType).map((o) => o.value)).toEqual(['company', 'contact', 'deal', 'invoice', 'lead', 'quote']);
	expect(entityType.default).toBe('deal');
	expect(entityType.displayOptions).toEqual({ show: { resource: ['automationTrigger'], operation: ['fire'] } });
});

test('Entity and Trigger are resource locators with the expected modes', () => {
	const modes = (name: string) => (property(name).modes ?? []).map((m) => [m.name, m.typeOptions?.searchListMethod]);
	expect(modes('entity')).toEqual([['list', 'searchEntities'], ['id', undefined], ['url', undefined]]);
	expect(modes('trigger')).toEqual([['list', 'searchTriggers'], ['code', undefined]]);
	expect(property('trigger').hint).toMatch(/personal key use By Code/);
	expect(new Bitrix24().methods.listSearch).toEqual({ searchEntities: expect.any(Function), searchTriggers: expect.any(Function) });
});

test('Fire options: parallelism, retries, waits, timeout, unknown outcomes, code check', () => {
	const fireOptions = property('options');
	expect(fireOptions.type).toBe('collection');
	expect((fireOptions.options as INodeProperties[]).map((o) => [o.name, o.default])).toEqual([
		['maxParallel', 2],
		['maxRetries', 4],
		['maxWait', 60],
		['retryUnknownOutcome', false],
		['timeout', 35],
		['verifyTriggerCode', true],
	]);
});

test('Get Many has Return All and Limit, shown only for Get Many', () => {
	expect(property('returnAll').displayOptions!.show).toEqual({ resource: ['automationTrigger'], operation: ['getMany'] });
	expect(property('limit').displayOptions!.show).toEqual({ resource: ['automationTrigger'], operation: ['getMany'], returnAll: [false] });
});

test('the credential: key type, password fields, session only for OAuth applications, base URL, test', () => {
	const credential = new Bitrix24VibeApi();
	const field = (name: string) => credential.properties.find((p) => p.name === name)!;
	expect(credential.name).toBe('bitrix24VibeApi');
	expect(credential.displayName).toBe('Bitrix24 VibeCode API');
	expect(options(field('keyType')).map((o) => o.value)).toEqual(['personal', 'oauthApp']);
	expect(field('apiKey').typeOptions).toEqual({ password: true });
	expect(field('sessionToken').typeOptions).toEqual({ password: true });
	expect(field('sessionToken').displayOptions).toEqual({ show: { keyType: ['oauthApp'] } });
	expect(field('baseUrl').default).toBe('https://vibecode.bitrix24.tech');
	expect(credential.test.request.url).toContain('/v1/me');
	expect(typeof credential.authenticate).toBe('function');
});

test('package.json declares the node and credential n8n loads, and no runtime dependencies', () => {
	expect(pkg.n8n.nodes).toEqual(['dist/nodes/Bitrix24/Bitrix24.node.js', 'dist/nodes/Bitrix24/Bitrix24Trigger.node.js']);
	expect(pkg.n8n.credentials).toEqual(['dist/credentials/Bitrix24VibeApi.credentials.js']);
	expect((pkg as { dependencies?: object }).dependencies).toBeUndefined();
	expect(Object.keys(pkg.peerDependencies)).toEqual(['n8n-workflow']);
	expect(pkg.keywords).toContain('n8n-community-node-package');
	expect(codex.node).toBe(`${pkg.name}.bitrix24`);
});

test('Bitrix24 Trigger is a polling trigger node with the same credential and the six entity types', () => {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { Bitrix24Trigger } = require('../../nodes/Bitrix24/Bitrix24Trigger.node');
	const trigger = new Bitrix24Trigger().description;
	expect(trigger).toMatchObject({
		name: 'bitrix24Trigger',
		displayName: 'Bitrix24 Trigger',
		group: ['trigger'],
		polling: true,
		inputs: [],
		outputs: ['main'],
		credentials: [{ name: 'bitrix24VibeApi', required: true }],
	});
	const field = (name: string) => trigger.properties.find((p: INodeProperties) => p.name === name) as INodeProperties;
	expect(options(field('event')).map((o) => o.value)).toEqual(['newRecord']);
	expect(options(field('entityType')).map((o) => o.value)).toEqual(['company', 'contact', 'deal', 'invoice', 'lead', 'quote']);
	expect((field('filters').options as INodeProperties[]).map((o) => o.name)).toEqual(['assignedById', 'categoryId', 'stageId', 'statusId']);
});
