import type { VibeContext, VibeSession } from '../transport';
import { field, portalList, text } from './stages';

export interface PortalUser {
	id: number;
	/** "First Last", or "User 7" when the portal gives no name. */
	name: string;
	email: string;
	active: boolean;
}

/** The portal's users (GET /v1/users, one page of 500), active or not. */
export async function fetchUsers(this: VibeContext, session: VibeSession): Promise<PortalUser[]> {
	const rows = await portalList.call(this, session, '/v1/users');
	return rows.map((row) => {
		const id = Number(field(row, 'id', 'ID'));
		const name = [field(row, 'name', 'NAME'), field(row, 'lastName', 'LAST_NAME')].map(text).filter(Boolean).join(' ');
		return {
			id,
			name: name || `User ${id}`,
			email: text(field(row, 'email', 'EMAIL')),
			active: !['N', false, 'false'].includes(field(row, 'active', 'ACTIVE') as string),
		};
	});
}

/** A user as messages name them: "Olga Sales (7)", or the bare ID of a user the list does not have. */
export const userLabel = (users: PortalUser[], id: unknown): string => {
	const user = users.find((candidate) => String(candidate.id) === String(id));
	return user ? `"${user.name} (${user.id})"` : `user ${String(id)}`;
};
