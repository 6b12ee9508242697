/** package.json as n8n reads it when it installs the community package. */
import * as pkg from '../../package.json';

test('declares the nodes and the credential n8n loads, and no runtime dependencies', () => {
	expect(pkg.n8n.nodes).toEqual(['dist/nodes/Bitrix24/Bitrix24.node.js', 'dist/nodes/Bitrix24/Bitrix24Trigger.node.js']);
	expect(pkg.n8n.credentials).toEqual(['dist/credentials/Bitrix24VibeApi.credentials.js']);
	expect((pkg as { dependencies?: object }).dependencies).toBeUndefined();
	expect(Object.keys(pkg.peerDependencies)).toEqual(['n8n-workflow']);
	expect(pkg.keywords).toContain('n8n-community-node-package');
});
