import { InputError } from './inputError';
import { ERROR_TABLE } from './table';

/**
 * A trigger code that is not among the known ones, with the known codes nearest to it. The known codes are the
 * portal's (what the OAuth application registered) or the credential's (its Trigger Codes list, personal keys).
 */
export function unknownTriggerError(code: string, registered: string[], source: 'portal' | 'credential' = 'portal'): InputError {
	const nearest = nearestCodes(code, registered);
	const guess = nearest.length ? `Did you mean ${nearest.map((candidate) => `"${candidate}"`).join(' or ')}?` : undefined;
	if (source === 'credential') {
		return new InputError(
			`Trigger code "${code}" is not in the credential's Trigger Codes list`,
			`${guess ?? 'No listed code is close to it.'} ${ERROR_TABLE.UNDECLARED_TRIGGER.hint}`,
			'UNDECLARED_TRIGGER',
		);
	}
	const lead = registered.length === 0 ? 'The application has registered no triggers.' : (guess ?? 'No registered code is close to it.');
	return new InputError(
		`Trigger code "${code}" is not registered on the portal`,
		`${lead} ${ERROR_TABLE.UNKNOWN_TRIGGER.hint}`,
		'UNKNOWN_TRIGGER',
	);
}

/**
 * The registered codes nearest to a mistyped one by edit distance (ties all kept, at most three), and none
 * when even the nearest differs in more than about a third of its characters: that is another code, not a typo.
 */
export function nearestCodes(code: string, registered: string[]): string[] {
	const typed = code.toLowerCase();
	const scored = registered.map((candidate) => ({ candidate, distance: editDistance(typed, candidate.toLowerCase()) }));
	const best = Math.min(...scored.map(({ distance }) => distance));
	if (best > Math.max(2, Math.floor(typed.length / 3))) return [];
	return scored
		.filter(({ distance }) => distance === best)
		.slice(0, 3)
		.map(({ candidate }) => candidate);
}

/** Levenshtein distance: insertions, deletions and substitutions each count one. */
function editDistance(a: string, b: string): number {
	const row = Array.from({ length: b.length + 1 }, (_, j) => j);
	for (let i = 1; i <= a.length; i++) {
		let previous = row[0];
		row[0] = i;
		for (let j = 1; j <= b.length; j++) {
			const current = row[j];
			row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
			previous = current;
		}
	}
	return row[b.length];
}
