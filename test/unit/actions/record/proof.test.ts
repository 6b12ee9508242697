/**
 * The proof of a write (actions/record/proof.ts) for a record whose answer gives no ID: a path the callers keep out
 * of (a batch create without an ID fails on its own), which must still never read "NaN" nor read back a record it
 * cannot name.
 */

import { proven, provenMany, type PortalFacts } from '../../../../nodes/Bitrix24/actions/record/proof';
import { entityType } from '../../../../nodes/Bitrix24/helpers/entities';
import { portalField } from '../../../../nodes/Bitrix24/helpers/fields';
import { contextAnswering } from '../../../helpers/httpStandIn';

const lead = entityType('lead')!;
const facts: PortalFacts = { fields: [portalField('title', 'string', { title: 'Lead name' })], stages: [], pipelines: [], users: [] };

/** A context that records every request and answers none of them (a read would fail the test's expectations). */
const offline = () => contextAnswering({});

const textOf = (error: unknown) => {
	const { message, description } = error as { message: string; description?: string };
	return `${message}\n${description ?? ''}`;
};

test.each([
	[true, /^The new lead \(its ID not given\) was created, but Lead name \(title\) does not hold the value sent \[WRITE_NOT_APPLIED\]/, /VibeCode did not give the new lead's ID: find it in Bitrix24/],
	[false, /^The lead \(its ID not given\) was saved, but Lead name \(title\) does not hold the value sent \[WRITE_NOT_APPLIED\]/, /The other fields of the lead were saved\./],
])('provenMany, created %s, an answer without ID or fields: no read, no NaN, the record named without its ID', async (created, message, after) => {
	const { context, session, sent } = offline();
	const out = await provenMany.call(context, session, lead, [{ itemIndex: 0, facts, sent: { title: 'A' }, record: {}, created, replaced: [], verify: true }]);
	const result = out.get(0)!;
	expect('error' in result).toBe(true);
	const text = textOf((result as { error: unknown }).error);
	expect(text).toMatch(message);
	expect(text).toMatch(after);
	expect(text).not.toContain('NaN');
	expect(sent).toEqual([]);
});

test('proven, a create answered without ID or fields: no read, no NaN', async () => {
	const { context, session, sent } = offline();
	const error = await proven.call(context, session, lead, { facts, sent: { title: 'A' }, record: { id: 'none' }, created: true, replaced: [], itemIndex: 0 }).catch((thrown: unknown) => thrown);
	expect(textOf(error)).toMatch(/^The new lead \(its ID not given\) was created, but Lead name \(title\) does not hold the value sent/);
	expect(textOf(error)).not.toContain('NaN');
	expect(sent).toEqual([]);
});
