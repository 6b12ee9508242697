/**
 * The real n8n editor in Debian's Chromium, driven by playwright-core: set up the owner account, open the
 * demo workflow, open the Bitrix24 node, and check the Entity Type dropdown and the live Trigger list.
 * Screenshots go to test-results/browser/ (git-ignored). No fixed sleeps: every step waits for what the page shows.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

import { createSandbox } from '../sandbox/server';

const n8n = require('../../scripts/n8n');
const { ensureChromium, CHROMIUM_ARGS } = require('../../scripts/chromium');

const SHOTS = path.join(n8n.ROOT, 'test-results', 'browser');
const OWNER = { email: 'browser-owner@example.com', firstName: 'Browser', lastName: 'Owner', password: 'Browser-pass-123' };

const sandbox = createSandbox();
let dataDir: string;
let instance: { url: string; stop: () => Promise<void> };
let browser: Browser;
let page: Page;

const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`) });

beforeAll(async () => {
	const executablePath = ensureChromium();
	await n8n.ensureN8n();
	fs.mkdirSync(SHOTS, { recursive: true });
	await sandbox.start();
	fs.mkdirSync(path.join(n8n.ROOT, '.n8n-data'), { recursive: true });
	dataDir = fs.mkdtempSync(path.join(n8n.ROOT, '.n8n-data', 'browser-'));
	const brokerPort = await n8n.freePort();
	await n8n.prepareInstance({ dataDir, sandboxUrl: sandbox.url, brokerPort });
	instance = await n8n.startN8n({ dataDir, port: await n8n.freePort(), brokerPort });
	browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
	page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
	// Generous: in CI the editor shares two cores with the end-to-end suite.
	page.setDefaultTimeout(90_000);
}, 30 * 60_000);

afterAll(async () => {
	await browser?.close();
	await instance?.stop();
	await sandbox.stop();
	if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

test('sets up the owner account in the editor', async () => {
	await page.goto(`${instance.url}/`, { waitUntil: 'commit' });
	// A fresh n8n sends the browser to its owner set-up form.
	await page.locator('input[name="email"]').waitFor({ timeout: 120_000 });
	expect(new URL(page.url()).pathname).toBe('/setup');
	await page.fill('input[name="email"]', OWNER.email);
	await page.fill('input[name="firstName"]', OWNER.firstName);
	await page.fill('input[name="lastName"]', OWNER.lastName);
	await page.fill('input[name="password"]', OWNER.password);
	await shot('1-owner-setup');
	await page.click('[data-test-id="form-submit-button"]');
	await page.waitForURL((url) => !url.pathname.startsWith('/setup'), { waitUntil: 'commit' });
}, 180_000);

test('opens the demo workflow and the Bitrix24 node', async () => {
	await page.goto(`${instance.url}/workflow/bx24DemoPickList`, { waitUntil: 'commit' });
	const node = page.locator('[data-test-id="canvas-node"][data-node-name="Fire trigger in Bitrix24"]');
	await node.waitFor();
	await shot('2-workflow');
	await node.dblclick();
	await page.locator('[data-test-id="parameter-input-entityType"]').waitFor();
	await shot('3-node');
}, 180_000);

test('Entity Type lists the six CRM entity types', async () => {
	await page.click('[data-test-id="parameter-input-entityType"]');
	const options = page.locator('.el-select-dropdown__item:visible');
	await options.first().waitFor();
	expect(await options.allTextContents()).toEqual(['Company', 'Contact', 'Deal', 'Invoice', 'Lead', 'Quote']);
	await shot('4-entity-types');
	await page.keyboard.press('Escape');
}, 180_000);

test("the Trigger list shows the sandbox's trigger names", async () => {
	await page.click('[data-test-id="resource-locator-trigger"] [data-test-id="rlc-input"]');
	const items = page.locator('[data-test-id="rlc-item"]');
	// The selected value shows first; the list is there when its last entry is.
	await items.filter({ hasText: 'Contract signed (contract_signed)' }).waitFor();
	expect(await items.allTextContents()).toEqual([
		'Payment received (payment_received)',
		'Delivery confirmed (delivery_confirmed)',
		'Contract signed (contract_signed)',
	]);
	await shot('5-trigger-list');
}, 180_000);

test('the Entity list searches the deals of the sandbox', async () => {
	await page.keyboard.press('Escape');
	await page.click('[data-test-id="resource-locator-entity"] [data-test-id="rlc-input"]');
	const items = page.locator('[data-test-id="rlc-item"]');
	await items.filter({ hasText: 'Office chairs for Globex (#5143)' }).waitFor();
	// n8n lists the selected record first, then the rest newest first.
	expect(await items.allTextContents()).toEqual([
		'Website redesign (#5141)',
		'Office chairs for Globex (#5143)',
		'Annual support contract (#5142)',
	]);
	await page.locator('[data-test-id="rlc-search"] input, input[data-test-id="rlc-search"]').first().fill('support');
	// The search goes to the sandbox; the selected record stays pinned on top.
	await items.filter({ hasText: 'Office chairs for Globex' }).waitFor({ state: 'detached' });
	await items.filter({ hasText: 'Annual support contract (#5142)' }).waitFor();
	expect(await items.allTextContents()).toEqual(['Website redesign (#5141)', 'Annual support contract (#5142)']);
	await shot('6-entity-search');
}, 180_000);

test('an unverified fire shows its warning in the output panel', async () => {
	// Leave the open node and workflow; accept n8n's "leave without saving?" if it asks.
	page.on('dialog', (dialog) => void dialog.accept());
	await page.goto(`${instance.url}/workflow/bx24DemoManual01`, { waitUntil: 'commit' });
	const node = page.locator('[data-test-id="canvas-node"][data-node-name="Fire trigger in Bitrix24"]');
	await node.waitFor();
	await page.click('[data-test-id="execute-workflow-button"]');
	// The run has ended when the node shows its success mark.
	await node.locator('[data-test-id="canvas-node-status-success"]').waitFor();
	await node.dblclick();
	const hint = page.locator('[data-test-id="node-hint"]').filter({ hasText: 'Not verified: a personal key cannot read the portal' });
	await hint.waitFor();
	expect(await hint.count()).toBe(1);
	// Four payments, one invalid on purpose: three fires with the personal key, none of them verified.
	expect(sandbox.journal).toHaveLength(3);
	await shot('7-unverified-warning');
}, 180_000);
