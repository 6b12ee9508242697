/**
 * Every message the node can show names a field the way the editor does: by its label ("Deal name (title)"),
 * never by the bare API name where the portal gives a label. Two nets: each field of every sandbox entity put
 * through the node's checks with values that fail, and the node's source, for message texts built from a bare name.
 */
import fs from 'node:fs';
import path from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { InputError } from '../../nodes/Bitrix24/errors';
import { ENTITY_TYPES } from '../../nodes/Bitrix24/helpers/entities';
import { label, parseFields, prepareFields, type PortalField } from '../../nodes/Bitrix24/helpers/fields';
import { FIELDS } from '../sandbox/server';

/** Values that fail one check or another: text where a number, date or choice is due; an object; an empty entry. */
const BAD_VALUES: unknown[] = ['not-a-value', { nested: true }, 'a@', [''], '  '];

function failures(field: PortalField, fields: PortalField[], entity: string): string[] {
	const texts: string[] = [];
	for (const value of BAD_VALUES) {
		for (const options of [{ entity }, { entity, keepRequired: true }]) {
			try {
				prepareFields(fields, { [field.name]: value } as IDataObject, options);
			} catch (error) {
				expect(error).toBeInstanceOf(InputError);
				texts.push((error as InputError).message, (error as InputError).description);
			}
		}
	}
	return texts;
}

/**
 * The text with every label taken out: what is left must not name the field by its API name alone. Where the API
 * name is the label's own word ("Email (email)"), prose may use the word ("not an email address").
 */
const bareName = (text: string, field: PortalField) =>
	field.title.toLowerCase() !== field.name.toLowerCase() && new RegExp(`(^|[^\\w(])${field.name}($|[^\\w)])`).test(text.split(label(field)).join(''));

describe.each(ENTITY_TYPES.map((type) => [type.value] as const))('%s: every refusal names the field by its label', (entity) => {
	const fields = parseFields(FIELDS[entity as keyof typeof FIELDS] as unknown as Record<string, IDataObject>);
	const labelled = fields.filter((field) => !field.readOnly && field.title !== field.name);

	test.each(labelled.map((field) => [field.name, field] as const))('%s', (_name, field) => {
		for (const text of failures(field, fields, entity)) {
			expect(text.includes(label(field)) || !text.includes(field.name)).toBe(true);
			expect({ text, bare: bareName(text, field) }).toEqual({ text, bare: false });
		}
	});

	test('the checks refuse something for most fields (the net catches messages)', () => {
		expect(labelled.filter((field) => failures(field, fields, entity).length > 0).length).toBeGreaterThan(labelled.length / 2);
	});
});

test("no message in the node's source is built from a field's bare API name", () => {
	const files: string[] = [];
	const walk = (dir: string) => {
		for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
			const full = path.join(dir, entry.name);
			if (entry.isDirectory()) walk(full);
			else if (entry.name.endsWith('.ts')) files.push(full);
		}
	};
	walk(path.resolve(__dirname, '../../nodes'));
	const offenders: string[] = [];
	for (const file of files) {
		const source = fs.readFileSync(file, 'utf8');
		// Each error the node builds: its message and hint, up to the closing parenthesis of the call.
		for (const match of source.matchAll(/new (?:InputError|NodeOperationError)\(([\s\S]*?)\);/g)) {
			if (/\$\{field\.name\}|\$\{f\.name\}/.test(match[1])) offenders.push(`${path.relative(process.cwd(), file)}: ${match[1].trim().slice(0, 120)}`);
		}
	}
	expect(offenders).toEqual([]);
});
