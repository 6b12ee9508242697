import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

/** What the credential holds, after trimming what a paste adds around it. */
export interface VibeCredentials {
	keyType: 'personal' | 'oauthApp';
	apiKey: string;
	sessionToken: string;
	baseUrl: string;
	/** The trigger codes the user declared on the credential (Trigger Codes), checked before a fire. */
	triggerCodes: string[];
}

export const DEFAULT_BASE_URL = 'https://vibecode.bitrix24.tech';

const LOOPBACK_HOSTS = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

export function readCredentials(raw: ICredentialDataDecryptedObject): VibeCredentials {
	const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
	return {
		keyType: raw.keyType === 'oauthApp' ? 'oauthApp' : 'personal',
		apiKey: text(raw.apiKey),
		sessionToken: raw.keyType === 'oauthApp' ? text(raw.sessionToken) : '',
		baseUrl: text(raw.baseUrl) || DEFAULT_BASE_URL,
		triggerCodes: [...new Set(text(raw.triggerCodes).split(/[\s,;]+/).filter(Boolean))],
	};
}

/**
 * Why these credentials cannot work, in the user's words, or undefined when they look right.
 * Checked before any request so a wrong paste never turns into a confusing API error.
 * Never quotes the key or the token.
 */
export function credentialProblem(creds: VibeCredentials): string | undefined {
	const { apiKey, sessionToken, keyType } = creds;
	if (!apiKey) return 'The credential has no API key. Paste the VibeCode key (vibe_api_… or vibe_app_…).';
	if (/\s/.test(apiKey)) {
		return 'The API key contains spaces or line breaks. Copy the key again from the VibeCode dashboard, without anything around it.';
	}
	if (/^vibe_(live|mgmt)_/.test(apiKey)) {
		return 'This is a management key (vibe_live_…), which cannot reach CRM data. Use a personal key (vibe_api_…) or an OAuth application key (vibe_app_…).';
	}
	if (!/^vibe_(api|app)_/.test(apiKey)) {
		return 'This does not look like a VibeCode key: keys start with vibe_api_ (personal) or vibe_app_ (OAuth application).';
	}
	if (keyType === 'personal' && apiKey.startsWith('vibe_app_')) {
		return 'This is an OAuth application key (vibe_app_…). Set Key Type to OAuth Application and add the user session token.';
	}
	if (keyType === 'oauthApp' && apiKey.startsWith('vibe_api_')) {
		return 'This is a personal key (vibe_api_…). Set Key Type to Personal Key; it needs no session token.';
	}
	if (sessionToken && /\s/.test(sessionToken)) {
		return 'The session token contains spaces or line breaks. Copy it again, without anything around it.';
	}
	if (/^vibe_(api|app|live)_/.test(sessionToken)) {
		return 'The Session Token field holds an API key. Paste the user session token (vibe_session_…) there instead.';
	}
	return baseUrlProblem(creds.baseUrl);
}

export function baseUrlProblem(baseUrl: string): string | undefined {
	let url: URL;
	try {
		url = new URL(baseUrl);
	} catch {
		return 'The Base URL is not a valid address. Use https://vibecode.bitrix24.tech unless you run a sandbox.';
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		return 'The Base URL must start with https://.';
	}
	if (url.protocol === 'http:' && !LOOPBACK_HOSTS.test(url.hostname)) {
		return 'The Base URL must use https:// (plain http:// is allowed only for a local sandbox on 127.0.0.1 or localhost), so the key is never sent unencrypted.';
	}
	if (url.username || url.password || url.search || url.hash) {
		return 'The Base URL must be just the host, such as https://vibecode.bitrix24.tech.';
	}
	return undefined;
}

/** The API root without a trailing slash or /v1, so paths can always start with /v1. */
export function apiRoot(baseUrl: string): string {
	return baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '');
}

export function authHeaders(creds: VibeCredentials): Record<string, string> {
	const headers: Record<string, string> = { 'X-Api-Key': creds.apiKey };
	if (creds.keyType === 'oauthApp' && creds.sessionToken) {
		headers.Authorization = `Bearer ${creds.sessionToken}`;
	}
	return headers;
}

/** Whether the credential is an OAuth application with a session, as an n8n expression over `$credentials`. */
const HAS_SESSION = '$credentials.keyType === "oauthApp" && String($credentials.sessionToken || "").trim()';

/**
 * `authHeaders` as the credential's declarative `authenticate` headers, resolved by n8n with `$credentials` in
 * scope (n8n resolves each header's name as well as its value, and sends a value that resolves to nothing as an
 * empty header). `X-Api-Key` always; the second entry's name is `Authorization` (`Bearer <session>`) only for an
 * OAuth application with a session, otherwise `X-Api-Key` again with the same key, so a personal key sends no
 * Authorization header at all. Keys and tokens are trimmed, as `readCredentials` trims them.
 */
export const authenticateHeaders: Record<string, string> = {
	'X-Api-Key': '={{ String($credentials.apiKey || "").trim() }}',
	[`={{ ${HAS_SESSION} ? "Authorization" : "X-Api-Key" }}`]: `={{ ${HAS_SESSION} ? "Bearer " + String($credentials.sessionToken).trim() : String($credentials.apiKey || "").trim() }}`,
};
