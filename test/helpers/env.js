// n8n-core keeps instance settings in N8N_USER_FOLDER; tests use a throwaway one, never ~/.n8n.
const os = require('node:os');
const path = require('node:path');
const fs = require('node:fs');

if (!process.env.N8N_USER_FOLDER) {
	process.env.N8N_USER_FOLDER = fs.mkdtempSync(path.join(os.tmpdir(), 'bitrix24-vibecode-test-'));
}
process.env.N8N_ENCRYPTION_KEY ??= 'test-encryption-key-0123456789';
