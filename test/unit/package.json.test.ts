/** package.json as n8n reads it when it installs the community package. */
import * as pkg from '../../package.json';

test('declares the nodes and the credential n8n loads, and no runtime dependencies', () => {
	expect(pkg.n8n.nodes).toEqual([
		'dist/nodes/Bitrix24/Bitrix24.node.js',
		'dist/nodes/Bitrix24/Bitrix24Trigger.node.js',
		'dist/nodes/Bitrix24/Bitrix24InstantTrigger.node.js',
	]);
	expect(pkg.n8n.credentials).toEqual(['dist/credentials/Bitrix24VibeApi.credentials.js']);
	expect((pkg as { dependencies?: object }).dependencies).toBeUndefined();
	expect(Object.keys(pkg.peerDependencies)).toEqual(['n8n-workflow']);
	expect(pkg.keywords).toContain('n8n-community-node-package');
});

test("homepage documents this package (not VibeCode's site); lint runs actionlint and n8n's scanner after eslint", () => {
	expect(pkg.homepage).toMatch(/n8n-nodes-bitrix24-vibecode/);
	expect(pkg.homepage).not.toMatch(/vibecode\.bitrix24\.tech/);
	expect(pkg.scripts.lint).toMatch(/eslint \. && node scripts\/actionlint\.js && node scripts\/scan\.js$/);
});
