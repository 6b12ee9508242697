import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IDataObject,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { STATUS_FALLBACK, errorText, scrub } from '../errors';
import { apiRoot, authHeaders, credentialProblem, readCredentials, type VibeCredentials } from '../transport/credentials';

/** Keys expiring sooner than this are reported, so the workflow does not stop on a weekend. */
const EXPIRY_WARNING_DAYS = 7;
const DAY_MS = 24 * 60 * 60 * 1000;
const SESSION_CODES = new Set(['TOKEN_MISSING', 'TOKEN_EXPIRED', 'INVALID_SESSION', 'INVALID_APP_KEY', 'SESSION_APP_MISMATCH']);

interface Answer {
	status: number;
	body: IDataObject | undefined;
}

/**
 * The connection test (the node's `credentialTest`, named by `testedBy`): one request cannot decide, so it reads
 * GET /v1/me (scopes, access mode, expiry, the application's sign-in link) and, for an OAuth application, asks
 * for the trigger list to prove the session. A key that cannot do the node's work fails; one that can, with a
 * catch (read-only, expiring soon), passes with a message saying so. Never quotes the key or the token.
 */
export async function testConnection(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const creds = readCredentials(credential.data ?? {});
	const problem = credentialProblem(creds);
	if (problem) return { status: 'Error', message: problem };
	const secrets = [creds.apiKey, creds.sessionToken].filter(Boolean);
	const fail = (message: string): INodeCredentialTestResult => ({ status: 'Error', message: scrub(message, secrets) });

	const me = await get.call(this, creds, '/v1/me');
	// /v1/me answers every key; no envelope, or a 404, means the Base URL points somewhere else.
	if (me.body?.success === undefined || me.status === 404) {
		return fail('No VibeCode API answered at this Base URL. Use https://vibecode.bitrix24.tech (without /v1), or your sandbox address.');
	}
	if (me.body.success !== true) return fail(refusal(me));
	const data = (me.body.data ?? {}) as IDataObject;

	const scopes = Array.isArray(data.scopes) ? (data.scopes as unknown[]).map(String) : undefined;
	if (scopes && !scopes.includes('crm')) {
		return fail(
			`The key lacks the 'crm' scope, which every Bitrix24 node operation needs (it has: ${scopes.join(', ') || 'none'}). Scopes are fixed when a key is created: create a new key in the VibeCode dashboard with 'crm' ticked, and paste it here.`,
		);
	}

	const expiresAt = typeof data.expiresAt === 'string' ? Date.parse(data.expiresAt) : NaN;
	const now = Date.now();
	if (expiresAt <= now) return fail(`${errorText('KEY_EXPIRED').message}. ${errorText('KEY_EXPIRED').hint}`);

	if (creds.keyType === 'oauthApp') {
		const oauth = (data.oauth ?? {}) as IDataObject;
		const link = typeof oauth.authorizeUrl === 'string' ? oauth.authorizeUrl : undefined;
		const signIn = link
			? `Open ${link} in your browser, sign in to Bitrix24, allow the application, and paste the session token it shows (vibe_session_…) into Session Token. A session lasts about a day; then do the same again.`
			: "Open your application's authorize link (in the VibeCode dashboard, under the application), sign in to Bitrix24, allow the application, and paste the session token it shows (vibe_session_…) into Session Token. A session lasts about a day.";
		const triggers = await get.call(this, creds, '/v1/triggers');
		if (triggers.body?.success !== true) {
			const code = String((triggers.body?.error as IDataObject | undefined)?.code ?? '');
			if (SESSION_CODES.has(code)) {
				const why = creds.sessionToken ? `${errorText(code).message}.` : 'The OAuth application key needs a user session.';
				return fail(`${why} ${signIn}`);
			}
			return fail(refusal(triggers));
		}
	}

	const notes: string[] = [];
	if (data.accessMode === 'READONLY') {
		notes.push(
			'The key is read-only: the Bitrix24 Trigger node and the pickers work, but Fire will be refused. To fire triggers, create a key with read-write access in the VibeCode dashboard.',
		);
	}
	if (expiresAt - now < EXPIRY_WARNING_DAYS * DAY_MS) {
		const days = Math.ceil((expiresAt - now) / DAY_MS);
		notes.push(
			`The key expires on ${new Date(expiresAt).toISOString().slice(0, 10)} (in ${days} day${days === 1 ? '' : 's'}). Create a new key in the VibeCode dashboard before then and paste it here.`,
		);
	}
	return { status: 'OK', message: notes.length ? `Connection successful. ${notes.join(' ')}` : 'Connection successful!' };
}

/** What a refusal means and what to do, from the error table, with VibeCode's reason for a code it does not know. */
function refusal({ status, body }: Answer): string {
	const error = (body?.error ?? {}) as IDataObject;
	const code = typeof error.code === 'string' ? error.code : '';
	const text = errorText(code || (STATUS_FALLBACK[status] ?? 'UNKNOWN_ERROR'));
	const said = typeof error.message === 'string' ? ` VibeCode said: ${error.message}` : '';
	return `${text.message}${code ? ` [${code}]` : ''}. ${text.hint}${said}`;
}

async function get(this: ICredentialTestFunctions, creds: VibeCredentials, path: string): Promise<Answer> {
	try {
		// eslint-disable-next-line @n8n/community-nodes/no-deprecated-workflow-functions -- a credential test gets only `request` (n8n 1.x to 2.41 alike)
		const response = (await this.helpers.request({
			method: 'GET',
			uri: `${apiRoot(creds.baseUrl)}${path}`,
			headers: { Accept: 'application/json', ...authHeaders(creds) },
			json: true,
			simple: false,
			resolveWithFullResponse: true,
			timeout: 15_000,
		})) as { statusCode: number; body: unknown };
		const body = response.body && typeof response.body === 'object' && !Array.isArray(response.body) ? (response.body as IDataObject) : undefined;
		return { status: response.statusCode, body };
	} catch {
		return { status: 0, body: undefined };
	}
}
