/**
 * The proof that a write landed (Create, Update, Create or Update): VibeCode's answer compared with what was sent
 * (helpers/writtenValues.ts), and WRITE_NOT_APPLIED, in the names the user picked, when it does not hold it.
 */
import type { IDataObject, IExecuteFunctions, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { ApiFailure, nodeError, quote, type ErrorText } from '../../errors';
import { getMany, idOfRecord, type Outcome } from '../../helpers/batch';
import type { RecordType } from '../../helpers/entities';
import { label, portalField, type PortalField } from '../../helpers/fields';
import { portalHost, recordLink } from '../../helpers/portal';
import { getRecord, notFound } from '../../helpers/records';
import { pipelineLabel, stageLabel, type Pipeline, type Stage } from '../../helpers/stages';
import { userLabel, type PortalUser } from '../../helpers/users';
import { carries, unappliedFields, type Mismatch } from '../../helpers/writtenValues';
import type { VibeSession } from '../../transport';

/** What one run read from the portal before writing, shared by its items. */
export interface PortalFacts {
	fields: PortalField[];
	/** The stages of every list an item's stage was looked up in. */
	stages: Stage[];
	/** Deal pipelines, read when a deal item sets a pipeline or a stage. */
	pipelines: Pipeline[];
	/** Users, read when an item sets the responsible person. */
	users: PortalUser[];
}

/** A value as a message shows it: a user, pipeline, stage or choice by its name and ID, a list by its entries. */
function shown(field: PortalField, value: unknown, facts: PortalFacts): string {
	if (value === undefined) return 'nothing (VibeCode answered without the field)';
	if (Array.isArray(value)) return `[${value.map((entry) => (entry && typeof entry === 'object' ? quote((entry as IDataObject).value ?? (entry as IDataObject).VALUE) : shown(field, entry, facts))).join(', ')}]`;
	if (field.name === 'assignedById' || field.type === 'employee') return userLabel(facts.users, value);
	if (field.name === 'categoryId' && facts.pipelines.length) return pipelineLabel(facts.pipelines, String(value));
	const stage = field.type === 'crm_status' ? facts.stages.find(({ id }) => id === String(value)) : undefined;
	if (stage) return stageLabel(stage);
	const choice = field.type === 'enumeration' ? field.items.find(({ id }) => id === String(value)) : undefined;
	if (choice) return `"${choice.label} (${choice.id})"`;
	return quote(value);
}

/**
 * The proof that a write landed: every field sent is in VibeCode's answer with the value sent (compared by type).
 * An answer that carries none of the fields sent (only the ID) is not taken as proof either way: the record is read.
 * Otherwise the item fails with WRITE_NOT_APPLIED naming each field, and, for a create, the new record.
 */
export async function proven(
	this: IExecuteFunctions,
	session: VibeSession,
	type: RecordType,
	{ facts, sent, record, created, replaced, itemIndex }: { facts: PortalFacts; sent: IDataObject; record: IDataObject; created: boolean; replaced: string[]; itemIndex: number },
): Promise<IDataObject> {
	const id = idOfRecord(record);
	const names = Object.keys(sent);
	const answer = names.length > 0 && !names.some((name) => carries(record, name)) && id !== undefined ? await getRecord.call(this, session, type, id, itemIndex) : record;
	const misses = unappliedFields(facts.fields, sent, answer, replaced);
	if (misses.length === 0) return answer;
	const link = created && id !== undefined ? await portalHost.call(this, session).then((host) => recordLink(host, type, id), () => undefined) : undefined;
	throw notApplied(this, type, { id, created, misses, facts, link, itemIndex });
}

function notApplied(
	context: IExecuteFunctions,
	type: RecordType,
	{ id, created, misses, facts, link, itemIndex }: { id: number | undefined; created: boolean; misses: Mismatch[]; facts: PortalFacts; link?: string; itemIndex: number },
) {
	const noun = type.name.toLowerCase();
	const names = misses.map(({ field }) => label(field));
	// No ID is a path the callers keep out of (a batch create without one fails on its own); it must still never read "NaN".
	const record = id === undefined ? `The ${created ? 'new ' : ''}${noun} (its ID not given)` : `${type.name} ${id}`;
	const message = `${record} was ${created ? 'created' : 'saved'}, but ${misses.length === 1 ? `${names[0]} does` : `${misses.length} fields do`} not hold the value sent`;
	const lines = misses.map(({ field, sent, stored }) => `${label(field)}: sent ${shown(field, sent, facts)}, stored ${shown(field, stored, facts)}.`);
	const after = created
		? id === undefined
			? `VibeCode did not give the new ${noun}'s ID: find it in Bitrix24 and check or delete it before running this item again, which would create another ${noun}.`
			: `The new ${noun} is ${id}${link ? ` (${link})` : ''}: check or delete it in Bitrix24 before running this item again, which would create another ${noun}.`
		: `The other fields of ${id === undefined ? `the ${noun}` : `${noun} ${id}`} were saved.`;
	const hint = [
		...lines,
		'Causes: a field Bitrix24 does not know or the key may not write (reload the fields in the mapper), a value Bitrix24 or a robot rewrote, or a change in VibeCode\'s body format.',
		after,
		'Turn off Options → Check Written Values only for fields Bitrix24 rewrites on purpose.',
	].join('\n');
	return nodeError(context.getNode(), new ApiFailure('WRITE_NOT_APPLIED', { status: created ? 201 : 200 }), {
		itemIndex,
		texts: { WRITE_NOT_APPLIED: { message, hint } },
	});
}

/**
 * A create VibeCode refused because a required field is missing although the node sent it: the server did not read
 * the body as the node wrote it, which is no mistake of the user's, so it is said as such (WRITE_NOT_APPLIED).
 */
export function unreadRequired(context: IExecuteFunctions, type: RecordType, error: unknown, sent: IDataObject, facts: PortalFacts, itemIndex: number) {
	if (!(error instanceof NodeApiError) || error.context.vibeCode !== 'VALIDATION_ERROR') return undefined;
	const body = (error.errorResponse ?? {}) as JsonObject;
	const failure = new ApiFailure('VALIDATION_ERROR', {
		status: Number(error.httpCode) || 400,
		apiMessage: typeof body.apiMessage === 'string' ? body.apiMessage : '',
		requestId: typeof body.requestId === 'string' ? body.requestId : undefined,
	});
	const unread = unreadFailure(type, failure, sent, facts);
	return unread && nodeError(context.getNode(), unread.failure, { itemIndex, texts: unread.texts });
}

/**
 * The same for one record of a batch (VibeCode's words for it as an ApiFailure): WRITE_NOT_APPLIED and its words,
 * or undefined when the failure is something else.
 */
export function unreadFailure(type: RecordType, failure: ApiFailure, sent: IDataObject, facts: PortalFacts) {
	if (failure.code !== 'VALIDATION_ERROR') return undefined;
	const said = failure.apiMessage ?? '';
	const unread = [...said.matchAll(/(?:fields\.)?([A-Za-z_]\w*): Required/g)].map((match) => match[1]).filter((name) => sent[name] !== undefined);
	if (unread.length === 0) return undefined;
	const labels = unread.map((name) => label(facts.fields.find((field) => field.name === name) ?? portalField(name))).join(', ');
	return {
		failure: new ApiFailure('WRITE_NOT_APPLIED', { status: failure.status ?? 400, apiMessage: said, requestId: failure.requestId }),
		texts: {
			WRITE_NOT_APPLIED: {
				message: `VibeCode did not read ${labels}, which the node sent, and created no ${type.name.toLowerCase()}`,
				hint: "The node sends the fields at the top level of the body, as VibeCode documents; a server that reads another body format ignores them. Nothing was created. Report it to the package's maintainers with the request ID.",
			},
		},
	};
}

/** One record a batch wrote, to prove like a single write. */
export interface BatchWrite {
	itemIndex: number;
	facts: PortalFacts;
	sent: IDataObject;
	/** What VibeCode answered for the record. */
	record: IDataObject;
	created: boolean;
	replaced: string[];
	verify: boolean;
}

/**
 * {@link proven} for the records of one batch: the answers that carry none of the fields sent are read again in
 * batches of 50 (`POST /v1/batch`), then each record is compared with what was sent. Each item's record, or its
 * WRITE_NOT_APPLIED (or the failure of its read).
 */
export async function provenMany(
	this: IExecuteFunctions,
	session: VibeSession,
	type: RecordType,
	writes: BatchWrite[],
): Promise<Map<number, { record: IDataObject } | { error: unknown; texts?: Partial<Record<string, ErrorText>> }>> {
	const out = new Map<number, { record: IDataObject } | { error: unknown; texts?: Partial<Record<string, ErrorText>> }>();
	const idOf = (write: BatchWrite) => idOfRecord(write.record);
	const unread = writes.filter((write) => {
		const names = Object.keys(write.sent);
		return write.verify && names.length > 0 && !names.some((name) => carries(write.record, name)) && idOf(write) !== undefined;
	});
	const reread = new Map<number, Outcome>();
	if (unread.length > 0) {
		const outcomes = await getMany.call(this, session, type, unread.map((write) => idOf(write)!));
		unread.forEach((write, k) => reread.set(write.itemIndex, outcomes[k]));
	}
	let host: string | undefined | null = null;
	for (const write of writes) {
		const read = reread.get(write.itemIndex);
		if (read && 'failure' in read) {
			out.set(write.itemIndex, { error: read.failure, texts: notFound(type, idOf(write)!) });
			continue;
		}
		const answer = read ? read.data : write.record;
		const misses = write.verify ? unappliedFields(write.facts.fields, write.sent, answer, write.replaced) : [];
		if (misses.length === 0) {
			out.set(write.itemIndex, { record: answer });
			continue;
		}
		const id = idOf(write);
		if (write.created && id !== undefined && host === null) host = await portalHost.call(this, session).then((found) => found, () => undefined);
		const link = write.created && host && id !== undefined ? recordLink(host, type, id) : undefined;
		out.set(write.itemIndex, { error: notApplied(this, type, { id, created: write.created, misses, facts: write.facts, link, itemIndex: write.itemIndex }) });
	}
	return out;
}
