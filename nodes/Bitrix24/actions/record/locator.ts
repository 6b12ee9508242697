import { InputError } from '../../errors';
import type { EntityType } from '../../helpers/entities';
import { parseEntity } from '../../helpers/validate';

/**
 * The Record parameter of Get, Update and Delete: Fire's Entity locator rules (By ID, By URL, From List), with
 * refusals that name the Record parameter and the resource, since these operations have no Entity or Entity Type.
 */
export function parseRecord(value: unknown, type: EntityType): number {
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
