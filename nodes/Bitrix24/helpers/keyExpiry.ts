import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { vibeRequest, type VibeSession } from '../transport';

/** Keys expiring sooner than this are reported, so a workflow does not stop on a weekend. */
export const EXPIRY_WARNING_DAYS = 7;
const DAY_MS = 24 * 60 * 60 * 1000;

/** When each key was last checked in this process: a manual run reads GET /v1/me at most once a day per key. */
const lastChecked = new Map<string, number>();

/**
 * The warning the connection test gave before it became declarative (a rule can only compare a value): a manual
 * run whose key expires within EXPIRY_WARNING_DAYS days says when, under the output. Production runs never pay
 * for the extra read; a failed read says nothing (the run's own answer is what counts).
 */
export async function warnOfKeyExpiry(this: IExecuteFunctions, session: VibeSession): Promise<void> {
	if (this.getMode() !== 'manual' || typeof this.addExecutionHints !== 'function') return;
	const key = `${session.root} ${session.secrets[0] ?? ''}`;
	const now = Date.now();
	if (now - (lastChecked.get(key) ?? -Infinity) < DAY_MS) return;
	lastChecked.set(key, now);
	const expiresAt = await vibeRequest.call(this, session, { method: 'GET', path: '/v1/me' }).then(
		({ data }) => Date.parse(String((data as IDataObject | undefined)?.expiresAt ?? '')),
		() => NaN,
	);
	const message = expiryWarning(expiresAt, now);
	if (message) this.addExecutionHints({ message, type: 'warning', location: 'outputPane' });
}

/** The warning for a key expiring at `expiresAt` (ms; NaN for never), seen at `now`; none when it is far off. */
export function expiryWarning(expiresAt: number, now: number): string | undefined {
	if (!(expiresAt > now) || expiresAt - now >= EXPIRY_WARNING_DAYS * DAY_MS) return undefined;
	const days = Math.ceil((expiresAt - now) / DAY_MS);
	return `The VibeCode key expires on ${new Date(expiresAt).toISOString().slice(0, 10)} (in ${days} day${days === 1 ? '' : 's'}). Create a new key in the VibeCode dashboard before then and paste it into the credential, or the workflow stops with "The API key has expired".`;
}
