/** Replaces the given secrets and anything shaped like a VibeCode key or session, so an echoing server leaks nothing. */
export function scrub(text: string, secrets: string[]): string {
	let clean = text;
	for (const secret of secrets) clean = clean.split(secret).join('***');
	return clean.replace(/vibe_(api|app|live|mgmt|session)_[A-Za-z0-9_\-.]+/g, 'vibe_$1_***');
}
