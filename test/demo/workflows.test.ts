/** The demo workflows `npm start` imports: their sticky notes leave every node in sight, their field lists are current. */
import fs from 'node:fs';
import path from 'node:path';

import type { IDataObject, ResourceMapperField } from 'n8n-workflow';

import { loadMapperFields } from '../helpers/engine';
import { personal } from '../helpers/fixtures';
import { createSandbox } from '../sandbox/server';

interface DemoNode {
	name: string;
	type: string;
	position: [number, number];
	parameters: { width?: number; height?: number };
}

const DEMO = path.resolve(__dirname, '../../demo');
/** About the size n8n 2.x draws a node (a square of 100, its label below). */
const NODE = { width: 100, height: 130 };

test.each(fs.readdirSync(DEMO).filter((file) => file.endsWith('.json')))('%s: its name fits n8n\'s workflow name column (128 characters in Postgres, queue mode)', (file) => {
	const { name } = JSON.parse(fs.readFileSync(path.join(DEMO, file), 'utf8')) as { name: string };
	expect(name.length).toBeLessThanOrEqual(128);
});

test.each(fs.readdirSync(DEMO).filter((file) => file.endsWith('.json')))('%s: no sticky note covers a node', (file) => {
	const { nodes } = JSON.parse(fs.readFileSync(path.join(DEMO, file), 'utf8')) as { nodes: DemoNode[] };
	const notes = nodes.filter((node) => node.type === 'n8n-nodes-base.stickyNote');
	const covered = notes.flatMap((note) => {
		const [x, y] = note.position;
		const width = note.parameters.width ?? 240;
		const height = note.parameters.height ?? 160;
		return nodes
			.filter((node) => !notes.includes(node))
			.filter(({ position: [nx, ny] }) => nx + NODE.width > x && nx < x + width && ny + NODE.height > y && ny < y + height)
			.map((node) => node.name);
	});
	expect(covered).toEqual([]);
});

/**
 * n8n's editor calls a saved field list outdated ("Fields are outdated. Refresh…") when it differs from what the
 * node's mapper method returns now in length, IDs, or any of these properties (editor-ui nodeTypesUtils,
 * isResourceMapperFieldListStale). A demo must open without that notice: its refresh shows every new field.
 */
describe('the demos open with a current field list', () => {
	const STALE_KEYS = ['displayName', 'required', 'defaultMatch', 'display', 'canBeUsedToMatch', 'type'] as const;
	const sandbox = createSandbox();
	beforeAll(() => sandbox.start());
	afterAll(() => sandbox.stop());

	const mappers = fs
		.readdirSync(DEMO)
		.filter((file) => file.endsWith('.json'))
		.flatMap((file) =>
			(JSON.parse(fs.readFileSync(path.join(DEMO, file), 'utf8')).nodes as Array<{ name: string; parameters: IDataObject }>)
				.filter((node) => node.parameters.columns !== undefined)
				.map((node) => [file, node.name, node.parameters] as const),
		);

	test('the demos have field mappers to check', () => expect(mappers.length).toBeGreaterThanOrEqual(2));

	test.each(mappers)('%s, "%s": the saved schema is the one the portal gives now', async (_file, _name, parameters) => {
		const columns = parameters.columns as { schema: ResourceMapperField[]; value: IDataObject | null };
		const { fields } = await loadMapperFields({ parameters, credentials: personal(sandbox) });
		const pick = (field: ResourceMapperField) => [field.id, ...STALE_KEYS.map((key) => field[key])];
		expect(columns.schema.map(pick)).toEqual(fields.map(pick));
		// What the demo does not map is hidden, so the editor shows only what runs.
		const shown = columns.schema.filter((field) => !field.removed).map(({ id }) => id);
		expect(shown.sort()).toEqual(Object.keys(columns.value ?? {}).sort());
	});
});
