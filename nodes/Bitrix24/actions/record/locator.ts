import { InputError } from '../../errors';
import type { RecordType } from '../../helpers/entities';
import { locatorValue, parseEntity } from '../../helpers/validate';

/**
 * The Record parameter of Get, Update and Delete: Fire's Entity locator rules (By ID, By URL, From List), with
 * refusals that name the Record parameter and the resource, since these operations have no Entity or Entity Type.
 */
export function parseRecord(value: unknown, type: RecordType): number {
	// A link is read as a CRM record's page; the node does not know where Bitrix24 shows another entity's record.
	if (type.other && locatorValue(value) !== value && (value as { mode?: unknown }).mode === 'url') {
		throw new InputError(
			`Record By URL takes a link to a CRM record; give the ${type.name.toLowerCase()}'s ID instead`,
			`Switch Record to By ID and give the ID of the ${type.name.toLowerCase()} (the number in its address).`,
		);
	}
	let refusal: unknown;
	try {
		return parseEntity(value, type.value);
	} catch (error) {
		refusal = error;
	}
	if (!(refusal instanceof InputError)) throw refusal;
	if (/, but Entity Type is /.test(refusal.message)) {
		throw new InputError(
			refusal.message.replace(/, but Entity Type is .*$/, `, but the resource is ${type.name}`),
			`Choose the resource the link is to, or paste a link to a ${type.name.toLowerCase()}.`,
			refusal.code,
		);
	}
	throw new InputError(refusal.message.replace(/^Entity (ID|By URL)/, 'Record $1'), refusal.description, refusal.code);
}
