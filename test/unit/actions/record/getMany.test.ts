/** Get Many's filter rows (field / operator / value) as VibeCode's filter, without any network. */
import { buildFilter, OPERATORS } from '../../../../nodes/Bitrix24/actions/record/getMany.operation';
import { InputError } from '../../../../nodes/Bitrix24/errors';
import { portalField, type PortalField } from '../../../../nodes/Bitrix24/helpers/fields';

const field = portalField;

const DEAL: PortalField[] = [
	field('id', 'integer', { readOnly: true }),
	field('title', 'string'),
	field('amount', 'double'),
	field('assignedById', 'user'),
	field('observers', 'user', { multiple: true }),
	field('stageId', 'crm_status'),
	field('createdAt', 'datetime', { readOnly: true }),
	field('email', 'crm_multifield', { multiple: true }),
	field('UF_CRM_ORDER_NUMBER', 'string'),
];

type Operator = keyof typeof OPERATORS;
const filter = (...rows: Array<[string, Operator, unknown]>) => buildFilter(DEAL, rows.map(([name, operator, value]) => ({ field: name, operator, value })));
function refusal(run: () => unknown): InputError {
	try {
		run();
	} catch (error) {
		expect(error).toBeInstanceOf(InputError);
		return error as InputError;
	}
	throw new Error('expected a refusal');
}

test('the operators are the contract\'s eight', () => {
	expect(Object.keys(OPERATORS).sort()).toEqual(['contains', 'equals', 'greater', 'greaterOrEqual', 'in', 'less', 'lessOrEqual', 'notEquals']);
});

test.each([
	['equals', 'title', ' Website redesign ', { title: 'Website redesign' }],
	['notEquals', 'stageId', 'WON', { stageId: { $ne: 'WON' } }],
	['greater', 'amount', '4800', { amount: { $gt: 4800 } }],
	['greaterOrEqual', 'amount', 4800, { amount: { $gte: 4800 } }],
	['less', 'amount', ' 2300.5 ', { amount: { $lt: 2300.5 } }],
	['lessOrEqual', 'createdAt', '2026-12-31T00:00:00', { createdAt: { $lte: '2026-12-31T00:00:00' } }],
	['contains', 'title', 'redesign', { title: { $contains: 'redesign' } }],
	['in', 'id', '5141, 5143,,', { id: { $in: [5141, 5143] } }],
	['in', 'stageId', ['NEW', 'WON'], { stageId: { $in: ['NEW', 'WON'] } }],
	['equals', 'email', 'anna@mail.example', { email: 'anna@mail.example' }],
	['equals', 'UF_CRM_ORDER_NUMBER', 'ORD-1001', { UF_CRM_ORDER_NUMBER: 'ORD-1001' }],
	['equals', 'observers', '7', { observers: 7 }],
] as const)('%s on %s', (operator, name, value, expected) => {
	expect(filter([name, operator, value])).toEqual(expected);
});

test('no conditions: no filter at all', () => {
	expect(buildFilter(DEAL, [])).toBeUndefined();
});

test('conditions on different fields all apply; a range on one field combines', () => {
	expect(filter(['amount', 'greaterOrEqual', '1000'], ['amount', 'less', '5000'], ['stageId', 'equals', 'NEW'])).toEqual({
		amount: { $gte: 1000, $lt: 5000 },
		stageId: 'NEW',
	});
});

test.each([
	['equals twice', ['equals', 'equals']],
	['equals after an operator', ['greater', 'equals']],
	['an operator after equals', ['equals', 'greater']],
	['the same operator twice', ['greater', 'greater']],
] as const)('a field compared twice in a way VibeCode cannot combine is refused: %s', (_label, [first, second]) => {
	const error = refusal(() => filter(['amount', first, 1], ['amount', second, 2]));
	expect(error.message).toBe('The filters compare amount twice in a way VibeCode cannot combine');
});

test('a number field needs numbers, In List each of them', () => {
	expect(refusal(() => filter(['amount', 'greater', 'a lot'])).message).toBe('Filter on amount needs a number; got "a lot"');
	expect(refusal(() => filter(['id', 'in', '5141, five'])).message).toBe('Filter on id needs a number; got "five"');
	expect(refusal(() => filter(['assignedById', 'equals', ''])).message).toBe('Filter on assignedById needs a number; got ""');
});

test('a field the record type does not have is refused, with its name', () => {
	const error = refusal(() => filter(['colour', 'equals', 'red']));
	expect(error.message).toBe('Filter field "colour" is not a field of this record type');
	expect(error.description).toBe('Choose the field from the list.');
});
