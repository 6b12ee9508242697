/** The pure parts of helpers/im.ts: the input checks in their labels' words, the answered IDs, the recipient check. */
import { InputError } from '../../../nodes/Bitrix24/errors';
import { answeredId, parseChatId, parseMessage, parseUser, recipientName, recipientProblem } from '../../../nodes/Bitrix24/helpers/im';
import { USER_PAGE, type PortalUser } from '../../../nodes/Bitrix24/helpers/users';

const USERS: PortalUser[] = [
	{ id: 7, name: 'Olga Sales', email: 'olga@sandbox.example', active: true },
	{ id: 9, name: 'Former Employee', email: '', active: false },
];

test('User takes an ID as a number or text, refuses anything else by its label', () => {
	expect([7, '7', ' #7 '].map(parseUser)).toEqual([7, 7, 7]);
	for (const bad of ['', 'abc', 0, -1, 7.5, null, undefined]) expect(() => parseUser(bad)).toThrow(/^User must be a portal user's ID/);
});

test('Message keeps its text as given; an empty or blank one is refused', () => {
	expect(parseMessage('  Hi [b]there[/b] ')).toBe('  Hi [b]there[/b] ');
	expect(parseMessage(42)).toBe('42');
	for (const bad of ['', '   ', null, undefined, {}]) expect(() => parseMessage(bad)).toThrow(/^Message is empty; got /);
});

test('Chat ID: chat456, 456 and CHAT456 are chat456; other dialogs are refused', () => {
	expect(['chat456', '456', 456, ' CHAT456 '].map(parseChatId)).toEqual(['chat456', 'chat456', 'chat456', 'chat456']);
	for (const bad of ['', 'general', 'sg12', 'chat', 'chat0', '0', 'chat12/messages', 7.5]) expect(() => parseChatId(bad)).toThrow(/^Chat ID must be a group chat's ID/);
});

test('an answered ID: a number, its digits or an object\'s id; nothing for true or junk', () => {
	expect([8901, '8901', { id: 8901 }, { ID: '8901' }, { messageId: 8901 }].map(answeredId)).toEqual([8901, 8901, 8901, 8901, 8901]);
	expect([true, null, undefined, 0, 'abc', [8901], {}].map(answeredId)).toEqual([undefined, undefined, undefined, undefined, undefined, undefined, undefined]);
});

test('recipients: unknown and dismissed users refused by name; nothing said when the list is partial or unread', () => {
	expect(recipientProblem(USERS, 7)).toBeUndefined();
	expect(recipientProblem(USERS, 42)).toMatchObject({ message: 'User 42 is not a user of this portal', code: 'UNKNOWN_USER' });
	expect(recipientProblem(USERS, 9)).toMatchObject({ message: 'User "Former Employee (9)" is inactive (dismissed) on this portal', code: 'INACTIVE_USER' });
	expect(recipientProblem(USERS, 9)).toBeInstanceOf(InputError);
	const page = Array.from({ length: USER_PAGE }, (_, i) => ({ id: 1000 + i, name: `P${i}`, email: '', active: true }));
	expect(recipientProblem(page, 42)).toBeUndefined();
	expect(recipientProblem(undefined, 42)).toBeUndefined();
	expect([recipientName(USERS, 7), recipientName(USERS, 42), recipientName(undefined, 7)]).toEqual(['"Olga Sales (7)"', 'user 42', 'user 7']);
});
