/** The instant trigger's description, without any network. */
import type { INodeProperties } from 'n8n-workflow';

import * as pkg from '../../../package.json';
import * as codex from '../../../nodes/Bitrix24/Bitrix24InstantTrigger.node.json';
import { Bitrix24InstantTrigger } from '../../../nodes/Bitrix24/Bitrix24InstantTrigger.node';

const { description } = new Bitrix24InstantTrigger();
const field = (name: string) => description.properties.find((p) => p.name === name) as INodeProperties;

test('a webhook trigger of its own type, answering on receipt at POST …/bitrix24, with the polling trigger\'s icons', () => {
	expect(description).toMatchObject({
		name: 'bitrix24InstantTrigger',
		displayName: 'Bitrix24 Instant Trigger',
		group: ['trigger'],
		inputs: [],
		outputs: ['main'],
		icon: { light: 'file:bitrix24.svg', dark: 'file:bitrix24.dark.svg' },
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'bitrix24' }],
	});
	expect((description as { polling?: boolean }).polling).toBeUndefined();
	expect(codex.node).toBe(`${pkg.name}.bitrix24InstantTrigger`);
});

test('the VibeCode credential is asked for only to read the record, and Read the Record stays a parameter the editor shows', () => {
	expect(description.credentials).toEqual([{ name: 'bitrix24VibeApi', required: true, displayOptions: { hide: { readRecord: [false] } } }]);
	// n8n's editor (node helpers' getNodeAuthFields / getMainAuthField) takes every parameter named in a credential's
	// `show` for the node's authentication field and hides it from the parameter list: no credential may name one there.
	for (const credential of description.credentials ?? []) expect(credential.displayOptions?.show).toBeUndefined();
	expect(field('readRecord')).toMatchObject({ type: 'boolean', default: false });
	expect(field('filters').displayOptions).toEqual({ show: { readRecord: [true] } });
	expect((field('filters').options as INodeProperties[]).map((f) => f.name).sort()).toEqual(['assignedByIds', 'categoryIds', 'stageIds']);
});

test('the filters and Watch Fields are lists from the portal (no "(Not Set)" entry: a multi-select may stay empty)', () => {
	const filters = Object.fromEntries((field('filters').options as INodeProperties[]).map((f) => [f.name, f]));
	expect(filters.categoryIds).toMatchObject({ type: 'multiOptions', default: [], typeOptions: { loadOptionsMethod: 'getInstantPipelines', loadOptionsDependsOn: ['events', 'smartProcessTypes'] } });
	expect(filters.assignedByIds).toMatchObject({ type: 'multiOptions', default: [], typeOptions: { loadOptionsMethod: 'getUsers' } });
	expect(filters.stageIds).toMatchObject({ type: 'multiOptions', default: [], typeOptions: { loadOptionsMethod: 'getInstantStages', loadOptionsDependsOn: ['events', 'smartProcessTypes'] } });
	expect(field('watchFields')).toMatchObject({
		type: 'multiOptions',
		default: [],
		displayOptions: { show: { readRecord: [true] } },
		typeOptions: { loadOptionsMethod: 'getInstantWatchableFields', loadOptionsDependsOn: ['events'] },
	});
	const loaders = [...Object.values(filters), field('watchFields')].map((f) => String(f.typeOptions?.loadOptionsMethod));
	for (const loader of loaders) expect(Object.keys(new Bitrix24InstantTrigger().methods.loadOptions)).toContain(loader);
});

test('events: add, update and delete for the six entity types and smart-process items, and the robot call', () => {
	const values = (field('events').options as Array<{ value: string }>).map((o) => o.value).sort();
	const expected = ['company', 'contact', 'deal', 'invoice', 'lead', 'quote', 'smartProcessItem'].flatMap((type) => ['add', 'delete', 'update'].map((action) => `${type}.${action}`));
	expect(values).toEqual([...expected, 'robot'].sort());
	expect(field('events')).toMatchObject({ type: 'multiOptions', required: true, default: [] });
	// Which smart processes: picked from the portal, shown once an item event is chosen.
	expect(field('smartProcessTypes')).toMatchObject({
		type: 'multiOptions',
		default: [],
		typeOptions: { loadOptionsMethod: 'getSmartProcessTypes' },
		displayOptions: { show: { events: ['smartProcessItem.add', 'smartProcessItem.update', 'smartProcessItem.delete'] } },
	});
});

test('the token is a password field, required, whose help says a test needs it too; robots without a token are refused unless turned on', () => {
	expect(field('applicationToken')).toMatchObject({ type: 'string', typeOptions: { password: true }, required: true, default: '' });
	expect(field('applicationToken').description).toMatch(/^Required, for a test too/);
	expect(field('applicationToken').description).toMatch(/Listen for Test Event receives nothing until it is filled in/);
	const robot = (field('options').options as INodeProperties[]).find((o) => o.name === 'robotWithoutToken');
	expect(robot).toMatchObject({ type: 'boolean', default: false });
});

test('the notice says where to paste the URL in Bitrix24, for events and for the robot', () => {
	const notice = field('setupNotice');
	expect(notice.type).toBe('notice');
	expect(notice.displayName).toMatch(/Developer resources → Other → Outgoing webhook/);
	expect(notice.displayName).toMatch(/application token/);
	expect(notice.displayName).toMatch(/Automation rules → add the "Webhook" robot/);
});

test('the notice sends the user to n8n\'s "Webhook URLs" section, which n8n shows collapsed', () => {
	expect(field('setupNotice').displayName).toMatch(/^Open <b>Webhook URLs<\/b> above, copy the Production URL/);
	expect(field('setupNotice').displayName).not.toMatch(/shown above/);
});

test('listening and activation texts speak of Bitrix24, not n8n\'s generic "create an event"', () => {
	expect(description.eventTriggerDescription).toMatch(/^Waiting for Bitrix24 to call the Test URL/);
	expect(description.activationMessage).toMatch(/^Bitrix24's calls to the Production URL now start this workflow/);
});

test('the canvas subtitle names the chosen events as the Events list does', () => {
	const expression = String(description.subtitle);
	expect(expression.startsWith('={{')).toBe(true);
	// The expression's JavaScript, evaluated as n8n would with $parameter in scope.
	const subtitle = (events: unknown) => (new Function('$parameter', `return ${expression.slice(3, -2)};`) as (p: object) => string)({ events });
	expect(subtitle(['deal.update', 'robot'])).toBe('Deal Updated, Robot Call');
	expect(subtitle(['invoice.add'])).toBe('Invoice Created');
	expect(subtitle([])).toBe('');
	expect(subtitle(undefined)).toBe('');
	// A value the map does not know (from an expression) is shown as it is.
	expect(subtitle(['deal.archive'])).toBe('deal.archive');
	for (const option of field('events').options as Array<{ name: string; value: string }>) expect(subtitle([option.value])).toBe(option.name);
});
