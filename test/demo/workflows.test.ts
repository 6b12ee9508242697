/** The demo workflows `npm start` imports: their sticky notes leave every node in sight. */
import fs from 'node:fs';
import path from 'node:path';

interface DemoNode {
	name: string;
	type: string;
	position: [number, number];
	parameters: { width?: number; height?: number };
}

const DEMO = path.resolve(__dirname, '../../demo');
/** About the size n8n 2.x draws a node (a square of 100, its label below). */
const NODE = { width: 100, height: 130 };

test.each(fs.readdirSync(DEMO).filter((file) => file.endsWith('.json')))('%s: no sticky note covers a node', (file) => {
	const { nodes } = JSON.parse(fs.readFileSync(path.join(DEMO, file), 'utf8')) as { nodes: DemoNode[] };
	const notes = nodes.filter((node) => node.type === 'n8n-nodes-base.stickyNote');
	const covered = notes.flatMap((note) => {
		const [x, y] = note.position;
		const width = note.parameters.width ?? 240;
		const height = note.parameters.height ?? 160;
		return nodes
			.filter((node) => !notes.includes(node))
			.filter(({ position: [nx, ny] }) => nx + NODE.width > x && nx < x + width && ny + NODE.height > y && ny < y + height)
			.map((node) => node.name);
	});
	expect(covered).toEqual([]);
});
