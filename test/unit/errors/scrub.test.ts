import { scrub } from '../../../nodes/Bitrix24/errors';

test('scrub removes the given secrets and anything shaped like a VibeCode key', () => {
	expect(scrub('key=abc123 token vibe_session_zzz and vibe_api_qqq', ['abc123'])).toBe('key=*** token vibe_session_*** and vibe_api_***');
});

test('every key shape is scrubbed, with what follows it up to a separator', () => {
	for (const kind of ['api', 'app', 'live', 'mgmt', 'session']) {
		expect(scrub(`"vibe_${kind}_a.b-c_9", next`, [])).toBe(`"vibe_${kind}_***", next`);
	}
});
