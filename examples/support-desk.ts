/**
 * The demo's support desk (triage, billing and technical agents, their tools and handoffs) as an agent module,
 * to re-run a demo run offline: `npx runtape rerun last --module examples/support-desk.ts`. Its models have
 * nothing scripted: every model call is answered from the recording, while the tools run again.
 */
import { createDemoAgents } from '../src/demo/index.js';

export const agent = createDemoAgents();
