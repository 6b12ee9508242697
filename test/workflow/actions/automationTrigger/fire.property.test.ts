/**
 * Property-based: whatever an expression produces for Entity Type, Entity ID or Trigger, each item either
 * fires a valid request or fails as its own error item, never a TypeError and never a request for an invalid
 * item. Values go through n8n's expression engine, as at run time. (The checks alone: test/unit/helpers/validate.test.ts.)
 */
import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import { parseEntityId } from '../../../../nodes/Bitrix24/helpers/validate';
import { runNode } from '../../../helpers/engine';
import { fireParameters, personal } from '../../../helpers/fixtures';
import { createSandbox } from '../../../sandbox/server';

const sandbox = createSandbox({ checkEntityExists: false });
beforeAll(() => sandbox.start());
afterAll(() => sandbox.stop());

/** What JSON from a webhook or a Code node can put in a field. */
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
	fc.string(),
	fc.string({ unit: 'binary', maxLength: 30 }),
	fc.string({ minLength: 200, maxLength: 2000 }),
	fc.integer(),
	fc.integer({ min: 1, max: 100_000 }),
	fc.integer({ min: 1, max: 100_000 }).map(String),
	fc.integer({ min: 1, max: 100_000 }).map((n) => ` ${n}\n`),
	fc.double(),
	fc.constantFrom(0, -1, 1.5, 2 ** 53, 1e21, '', ' ', '\t\n', '0x10', '1e3', '١٢٣', 'payment_received', 'deal', 'Deal'),
	fc.constant(null),
	fc.boolean(),
	fc.array(fc.oneof(fc.integer(), fc.string()), { maxLength: 3 }),
	fc.dictionary(fc.string({ maxLength: 5 }), fc.oneof(fc.integer(), fc.string()), { maxKeys: 3 }),
);

const isValidId = (value: unknown) => {
	try {
		parseEntityId(value);
		return true;
	} catch {
		return false;
	}
};

test.each(['entityType', 'entity', 'trigger'] as const)('%s: every value fires a valid request or fails its own item before sending', async (field) => {
	await fc.assert(
		fc.asyncProperty(fc.array(anyValue, { minLength: 1, maxLength: 12 }), async (values) => {
			sandbox.reset();
			sandbox.configure({ checkEntityExists: false });
			const parameters = fireParameters(
				field === 'entity'
					? { entity: { __rl: true, mode: 'id', value: '={{ $json.value }}' } }
					: field === 'trigger'
						? { trigger: { __rl: true, mode: 'code', value: '={{ $json.value }}' } }
						: { entityType: '={{ $json.value }}' },
			);
			const { items, error } = await runNode({
				parameters,
				credentials: personal(sandbox),
				input: values.map((value) => ({ value: value as IDataObject[string] })),
				continueOnFail: true,
			});
			expect(error).toBeUndefined();
			expect(items).toHaveLength(values.length);
			let valid = 0;
			items!.forEach((item, i) => {
				expect(item.pairedItem).toEqual({ item: i });
				if (item.json.success === true) {
					valid++;
					expect(Number.isSafeInteger(item.json.entityId) && (item.json.entityId as number) > 0).toBe(true);
				} else {
					// Refused before sending: an input error with no HTTP status, carrying the item's fields.
					expect(item.json).toMatchObject({ code: 'INVALID_PARAMETER', httpCode: null, itemIndex: i });
					expect(Object.keys(item.json)).toEqual(expect.arrayContaining(['entityType', 'entityId', 'triggerId']));
					expect(String(item.json.error)).not.toMatch(/TypeError|Cannot read|undefined is not/);
				}
			});
			// Exactly one request per valid item, none for the invalid ones.
			expect(sandbox.requests.filter((r) => r.path === '/v1/triggers/fire')).toHaveLength(valid);
			expect(sandbox.journal).toHaveLength(valid);
			if (field === 'entity') expect(valid).toBe(values.filter(isValidId).length);
		}),
		{ numRuns: 40 },
	);
});
