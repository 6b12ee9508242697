import { nearestCodes, unknownTriggerError } from '../../../nodes/Bitrix24/errors';

const REGISTERED = ['payment_received', 'delivery_confirmed', 'contract_signed'];

test.each([
	['payment_recieved', ['payment_received']],
	['paymnt_received', ['payment_received']],
	['PAYMENT_RECEIVED', ['payment_received']],
	['delivery_confirm', ['delivery_confirmed']],
	['contract_sign', ['contract_signed']],
	['refund_issued', []],
	['x', []],
])('%s → %p', (typed, nearest) => {
	expect(nearestCodes(typed, REGISTERED)).toEqual(nearest);
});

test('codes equally near are all offered, at most three', () => {
	expect(nearestCodes('step_1', ['step_2', 'step_3', 'step_4', 'step_5', 'other'])).toEqual(['step_2', 'step_3', 'step_4']);
	expect(nearestCodes('anything', [])).toEqual([]);
});

test('the error names the code, offers only the nearest, and says what to do', () => {
	const typo = unknownTriggerError('payment_recieved', REGISTERED);
	expect(typo).toMatchObject({ code: 'UNKNOWN_TRIGGER', message: 'Trigger code "payment_recieved" is not registered on the portal' });
	expect(typo.description).toMatch(/^Did you mean "payment_received"\? VibeCode accepts unknown codes silently/);
	expect(typo.description).not.toMatch(/delivery_confirmed|contract_signed/);
	expect(unknownTriggerError('refund_issued', REGISTERED).description).toMatch(/^No registered code is close to it\. /);
	expect(unknownTriggerError('anything', []).description).toMatch(/^The application has registered no triggers\. /);
});
