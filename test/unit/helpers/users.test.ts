/** How a user VibeCode answered becomes the node's output: each field once, in camelCase. */
import { userOutput } from '../../../nodes/Bitrix24/helpers/users';

test('upper-case only (the older docs): every field camelCase, the ID and department IDs numbers, Y/N booleans', () => {
	expect(
		userOutput({ ID: '7', NAME: 'Olga', LAST_NAME: 'Sales', ACTIVE: 'Y', IS_ADMIN: 'N', UF_DEPARTMENT: ['5', 12], PERSONAL_MOBILE: '+1 555', UF_USR_SKYPE: 'olga.s' }),
	).toEqual({ id: 7, name: 'Olga', lastName: 'Sales', active: true, isAdmin: false, departmentId: [5, 12], personalMobile: '+1 555', UF_USR_SKYPE: 'olga.s' });
});

test('camelCase with upper-case twins: the camelCase value wins, whichever came first, and no twin is output', () => {
	expect(userOutput({ ID: '9', id: '7', NAME: 'Old', name: 'Olga', secondName: 'Petrovna', SECOND_NAME: 'X', PERSONAL_CITY: 'Old', personalCity: 'Berlin', active: false, ACTIVE: true })).toEqual({
		id: 7,
		name: 'Olga',
		active: false,
		secondName: 'Petrovna',
		personalCity: 'Berlin',
	});
});

test('values that are not what the page says are passed on as they came', () => {
	expect(userOutput({ id: 'u-7', departmentId: 5, active: 'maybe', lastLogin: null })).toEqual({ id: 'u-7', departmentId: [5], active: 'maybe', lastLogin: null });
});
