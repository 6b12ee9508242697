/**
 * A stand-in for n8n's HTTP helper, for unit tests of the transport and what is built on it: each request gets the
 * next of `answers` in turn (500 INTERNAL_ERROR once they run out; 'reset' breaks the connection), and `sent` keeps
 * each request's method and URL. The session is a personal key's, with the settings given (no waits by default).
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { DEFAULT_SETTINGS, type RequestSettings, type VibeSession } from '../../nodes/Bitrix24/transport';
import { Pacer } from '../../nodes/Bitrix24/transport/pacer';

export type Answer = { status: number; body?: IDataObject } | 'reset';

export function contextAnswering(settings: Partial<RequestSettings>, ...answers: Answer[]): { context: IExecuteFunctions; session: VibeSession; sent: string[] } {
	const sent: string[] = [];
	const context = {
		getNode: () => ({ name: 'Bitrix24', type: 'bitrix24', typeVersion: 1, position: [0, 0], parameters: {} }),
		helpers: {
			httpRequestWithAuthentication: async (_type: string, options: IDataObject) => {
				sent.push(`${options.method} ${options.url}`);
				const answer = answers.shift() ?? { status: 500, body: { success: false, error: { code: 'INTERNAL_ERROR' } } };
				if (answer === 'reset') throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
				return { statusCode: answer.status, headers: {}, body: answer.body === undefined ? '' : JSON.stringify(answer.body) };
			},
		},
	} as unknown as IExecuteFunctions;
	const session: VibeSession = {
		keyType: 'personal',
		root: 'http://127.0.0.1:1',
		secrets: [],
		triggerCodes: [],
		settings: { ...DEFAULT_SETTINGS, maxRetries: 0, maxWaitMs: 0, ...settings },
		pacer: new Pacer(),
	};
	return { context, session, sent };
}
