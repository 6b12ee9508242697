/**
 * Property-based: whatever an expression produces for Entity Type, Entity ID or Trigger, each item either
 * fires a valid request or fails with a NodeOperationError carrying its item index, never a TypeError and
 * never a request for an invalid item. Values go through n8n's expression engine, as at run time.
 */
import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import { parseEntityId, parseEntityType, parseTriggerCode } from '../../nodes/Bitrix24/helpers/validate';
import { baseUrlProblem, credentialProblem, readCredentials } from '../../nodes/Bitrix24/transport/credentials';
import { runNode } from '../helpers/engine';
import { fireParameters, personal } from '../helpers/fixtures';
import { createSandbox } from '../sandbox/server';

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
					// Expressions n8n itself cannot resolve fail inside n8n, before the node: also per item.
					expect(item.json.itemIndex ?? i).toBe(i);
					expect(String(item.json.error)).not.toMatch(/TypeError|Cannot read|undefined is not/);
					if (item.json.code !== 'INVALID_PARAMETER') expect(item.json.httpCode).toBeNull();
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

test('the input checks never throw anything but their own errors', () => {
	fc.assert(
		fc.property(anyValue, (value) => {
			for (const check of [parseEntityId, parseEntityType, parseTriggerCode]) {
				try {
					check(value);
				} catch (error) {
					expect((error as Error).constructor.name).toBe('InputError');
				}
			}
		}),
		{ numRuns: 2000 },
	);
});

describe('credential fields', () => {
	test('any base URL is accepted only as https, or http to loopback', () => {
		fc.assert(
			fc.property(fc.oneof(fc.webUrl(), fc.string(), fc.webUrl().map((u) => u.replace(/^https?/, 'ftp'))), (url) => {
				const problem = baseUrlProblem(url);
				if (problem === undefined) {
					const parsed = new URL(url);
					expect(parsed.protocol === 'https:' || ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname) || /^127\./.test(parsed.hostname)).toBe(true);
				} else {
					expect(typeof problem).toBe('string');
				}
			}),
			{ numRuns: 1000 },
		);
	});

	test('keys and tokens with whitespace inside are refused, surrounding whitespace is trimmed', () => {
		fc.assert(
			fc.property(
				fc.stringMatching(/^[A-Za-z0-9]{4,20}$/),
				fc.constantFrom(' ', '\n', '\t', '\r\n'),
				fc.constantFrom(' ', '\n', ''),
				(body, inside, around) => {
					const base = { keyType: 'personal', baseUrl: 'https://vibecode.bitrix24.tech' };
					expect(credentialProblem(readCredentials({ ...base, apiKey: `${around}vibe_api_${body}${around}` }))).toBeUndefined();
					expect(credentialProblem(readCredentials({ ...base, apiKey: `vibe_api_${body}${inside}${body}` }))).toMatch(/spaces or line breaks/);
					const problem = credentialProblem(readCredentials({ ...base, apiKey: `vibe_api_${body}${inside}x` })) ?? '';
					expect(problem).not.toContain(body);
				},
			),
			{ numRuns: 300 },
		);
	});
});
