/**
 * The portal's own errors about tasks, as the node reads them whichever operation sends the task: a title over 250
 * characters (the create page: TASKS_BAD_TITLE from the portal; the errors page: a portal error is 422 BITRIX_ERROR
 * with the portal's text, or the code itself), sent here by the record engine under Other Entity; and the scope a task
 * request needs, named for the Task resource's record type.
 */
import { scopeTexts } from '../../../../nodes/Bitrix24/errors';
import { runNode } from '../../../helpers/engine';
import { personal, recordParameters } from '../../../helpers/fixtures';
import { createSandbox } from '../../../sandbox/server';

const sandbox = createSandbox();
beforeAll(() => sandbox.start());
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.reset());

/** Other Entity → tasks → Create, Map Automatically: each input item's keys are sent. */
const create = { ...recordParameters({ resource: 'otherEntity', operation: 'create', values: 'auto' }), otherEntity: 'tasks' };
const LONG = 'Call '.repeat(51).trim();

test.each(['refuse', 'code'])('a title over 250 characters (taskLongTitle: %s): TASKS_BAD_TITLE in words, VibeCode\'s kept', async (taskLongTitle) => {
	sandbox.configure({ taskLongTitle });
	expect(Array.from(LONG).length).toBeGreaterThan(250);
	const { error } = await runNode({ parameters: create, credentials: personal(sandbox), input: [{ title: LONG, responsibleId: 1 }] });
	expect(error).toMatchObject({ message: 'Bitrix24 refused the task title: it is longer than 250 characters [TASKS_BAD_TITLE]', httpCode: '422', context: expect.objectContaining({ vibeCode: 'TASKS_BAD_TITLE' }) });
	expect(error!.description).toContain('Shorten the title to 250 characters or fewer');
	expect(error!.description).toContain('The task title is longer than 250 characters');
	expect(sandbox.othersOf('tasks').map(({ id }) => id)).toEqual([701]);
});

test('a portal that cuts the title instead (taskLongTitle: truncate, as Bitrix24\'s own code does): the proof says the title was not stored as sent', async () => {
	sandbox.configure({ taskLongTitle: 'truncate' });
	const { error } = await runNode({ parameters: create, credentials: personal(sandbox), input: [{ title: LONG, responsibleId: 1 }] });
	expect(error!.message).toMatch(/^Task \d+ was created, but Name \(title\) does not hold the value sent \[WRITE_NOT_APPLIED\]$/);
	expect((sandbox.othersOf('tasks').at(-1)!.title as string).length).toBe(250);
});

test('a title of exactly 250 characters is stored', async () => {
	const title = 'x'.repeat(250);
	const { items, error } = await runNode({ parameters: create, credentials: personal(sandbox), input: [{ title, responsibleId: 1 }] });
	expect(error).toBeUndefined();
	expect(items![0].json.title).toBe(title);
});

test("SCOPE_DENIED for the Task resource's record type names 'task' and 'tasks'; an Other Entity path keeps its own words; a CRM type the table's", () => {
	expect(scopeTexts({ name: 'Task', path: 'tasks' }).SCOPE_DENIED).toEqual({ message: "The key lacks the 'task' scope", hint: expect.stringContaining("'task' and 'tasks' scopes ticked") });
	expect(scopeTexts({ name: 'Task', path: 'tasks', other: true }).SCOPE_DENIED!.message).toBe('The key lacks the scope task records need');
	expect(scopeTexts({ name: 'Deal', path: 'deals' })).toEqual({});
});
