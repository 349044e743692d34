import { Agent, handoff, type Handoff } from '@openai/agents';
import { z } from 'zod';
import { createBillingTools } from './billingTools.js';
import { dropOtherAgentsWork } from './handoffFilter.js';
import { DemoModel } from './model.js';
import type { Pacer } from './pacing.js';
import { createTechnicalTools } from './technicalTools.js';

/** The support team for one run: agents, their (empty) scripted models, and the handoffs between them. */
export interface DemoCast {
  triage: Agent;
  billing: Agent;
  technical: Agent;
  /** Scenarios enqueue each agent's turns here, in the order that agent will be called. */
  models: { triage: DemoModel; billing: DemoModel; technical: DemoModel };
  /** Scenarios read `toolName` from these to script the model's handoff calls. */
  transfers: { toTriage: Handoff; toBilling: Handoff; toTechnical: Handoff };
}

const HandoffReason = z.object({
  reason: z.string().describe('One sentence on why this agent should take over'),
});

/**
 * A handoff whose call carries the model's stated reason, so a debugger can show why
 * control moved. The reason lives in the call's arguments; the SDK requires an
 * `onHandoff` callback whenever a handoff takes input, but there is nothing to do with it.
 */
function handoffWithReason(agent: Agent, inputFilter?: typeof dropOtherAgentsWork): Handoff {
  return handoff(agent, { inputType: HandoffReason, onHandoff: () => {}, ...(inputFilter ? { inputFilter } : {}) });
}

/**
 * The technical agent's instructions are a function, resolved by the SDK for each model call: they name the
 * tools the agent has at that moment, so they stay right when its tools change.
 */
function technicalInstructions(_context: unknown, agent: Agent): string {
  const tools = agent.tools.map((t) => (t as { name: string }).name);
  return [
    'You are a technical support engineer for Acme Cloud.',
    `Your diagnostic tools: ${tools.join(', ')}.`,
    'Check check_service_status for the affected service and region before diagnosing.',
    'When the customer gives latency numbers, summarise them with compute_latency_stats.',
    'Explain the likely cause, link it to any open incident id, and give concrete next steps.',
    'If the customer has billing questions, hand them back to the Triage Agent.',
  ].join(' ');
}

export function createDemoCast(pacer: Pacer): DemoCast {
  const models = {
    triage: new DemoModel('scripted:gpt-4.1-mini'),
    billing: new DemoModel('scripted:gpt-4.1-mini'),
    technical: new DemoModel('scripted:o4-mini'),
  };

  const triage = new Agent({
    name: 'Triage Agent',
    handoffDescription: 'Front desk: works out what the customer needs and routes them to the right specialist.',
    instructions: [
      'You are the first point of contact for Acme Cloud customer support.',
      'Identify every distinct issue in the customer\'s message. Do not solve issues yourself:',
      'hand billing questions (charges, refunds, invoices, pricing) to the Billing Agent and',
      'service problems (errors, outages, latency) to the Technical Support Agent.',
      'When a specialist hands a customer back, route any issue that is still open.',
      'Always state the reason for a handoff in one sentence.',
    ].join(' '),
    model: models.triage,
  });

  const billing = new Agent({
    name: 'Billing Agent',
    handoffDescription: 'Handles charges, refunds, invoices and plan pricing.',
    instructions: [
      'You are a billing specialist for Acme Cloud.',
      'Use find_duplicate_charges before refunding anything, and refund only charges it reports.',
      'Use quote_plan for every price you quote; never do price arithmetic yourself.',
      'Quote amounts in USD with two decimals.',
      'If the customer has issues that are not about billing, summarise what you resolved',
      'and hand them back to the Triage Agent.',
    ].join(' '),
    model: models.billing,
    tools: createBillingTools(pacer),
  });

  const technical = new Agent({
    name: 'Technical Support Agent',
    handoffDescription: 'Diagnoses API errors, outages and performance problems.',
    instructions: technicalInstructions,
    model: models.technical,
    tools: createTechnicalTools(pacer),
  });

  const transfers = {
    toTriage: handoffWithReason(triage),
    toBilling: handoffWithReason(billing),
    // Technical support starts from the conversation, without the billing agent's tool calls and reasoning.
    toTechnical: handoffWithReason(technical, dropOtherAgentsWork),
  };
  // Assigned after construction: the graph is cyclic (specialists hand back to triage).
  triage.handoffs = [transfers.toBilling, transfers.toTechnical];
  billing.handoffs = [transfers.toTriage];
  technical.handoffs = [transfers.toTriage];

  return { triage, billing, technical, models, transfers };
}
