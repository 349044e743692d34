import type { ScriptedModelInput } from '@openai/agents/testing';
import type { DemoCast } from './agents.js';
import { findDuplicateCharges, formatUsd, issueRefund, quotePlan } from './billingTools.js';
import { latencyStats, serviceStatus } from './technicalTools.js';
import type { TurnScript } from './turn.js';

export interface DemoScenario {
  name: string;
  input: string;
  description: string;
}

/** Makes one paced model turn; supplied per run so every run gets fresh timing and ids. */
export type TurnFactory = (script: TurnScript) => ScriptedModelInput;

/**
 * A scenario plus the script that acts it out: it enqueues each agent's turns on that
 * agent's model, in call order. Answers are computed with the same functions the tools
 * run, so what the "model" says always agrees with the tool outputs it saw.
 */
export interface ScriptedScenario extends DemoScenario {
  script(cast: DemoCast, turn: TurnFactory): void;
}

function required<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new Error(`demo fixture is missing ${what}`);
  return value;
}

const duplicateChargeAndOutage: ScriptedScenario = {
  name: 'duplicate-charge-and-outage',
  input:
    "Hi, this is Dana from account acct_4821. We were charged twice for our Pro plan this month, " +
    'and since yesterday afternoon our API calls from eu-west-1 keep failing with 503 errors. Can you help with both?',
  description:
    'Two issues in one message: Triage -> Billing (finds and refunds a double charge) -> back to Triage -> ' +
    'Technical Support (diagnoses a regional incident).',
  script({ models, transfers }, turn) {
    const report = findDuplicateCharges('acct_4821', '2025-06');
    const charge = required(report.duplicates[0], 'a duplicate charge for acct_4821');
    const refund = issueRefund(charge.duplicateInvoiceId, charge.amountCents);
    const status = serviceStatus('api', 'eu-west-1');
    const incident = required(status.incident, 'an incident for api/eu-west-1');

    models.triage.enqueue(
      turn({
        reasoning:
          'The customer raises two separate issues: a duplicate Pro plan charge (billing) and 503 errors from ' +
          'the API in eu-west-1 (technical). Handle the money first, then route the outage.',
        calls: [
          {
            name: transfers.toBilling.toolName,
            arguments: { reason: 'Customer reports being charged twice for the Pro plan on acct_4821 this month.' },
          },
        ],
      }),
      turn({
        reasoning:
          'Billing has refunded the duplicate charge. The open issue is the 503 errors in eu-west-1 since ' +
          'yesterday, which is a service problem for Technical Support.',
        calls: [
          {
            name: transfers.toTechnical.toolName,
            arguments: {
              reason: 'API calls from eu-west-1 have returned 503s since yesterday; the billing part is resolved.',
            },
          },
        ],
      }),
    );

    models.billing.enqueue(
      turn({ calls: [{ name: 'find_duplicate_charges', arguments: { accountId: 'acct_4821', month: '2025-06' } }] }),
      turn({
        calls: [
          {
            name: 'issue_refund',
            arguments: { invoiceId: charge.duplicateInvoiceId, amountCents: charge.amountCents },
          },
        ],
      }),
      turn({
        text:
          `I checked your June invoices: ${charge.duplicateInvoiceId} is a duplicate of ${charge.keptInvoiceId} ` +
          `(${charge.description}, ${formatUsd(charge.amountCents)}, both dated ${charge.date}). ` +
          `I've refunded ${refund.amount} to your original payment method (refund ${refund.refundId}); ` +
          `it should appear on your statement by ${refund.expectedBy}. ` +
          "The 503 errors aren't something billing can fix, so I'm passing you back to get them looked at.",
        calls: [
          {
            name: transfers.toTriage.toolName,
            arguments: {
              reason: `Duplicate charge refunded (${refund.refundId}); the remaining issue, API 503s in eu-west-1, is technical.`,
            },
          },
        ],
      }),
    );

    models.technical.enqueue(
      turn({
        reasoning:
          '503s confined to one region and starting at a specific time point to a platform incident rather than ' +
          'a client misconfiguration. Check the API status in eu-west-1 first.',
        calls: [{ name: 'check_service_status', arguments: { service: 'api', region: 'eu-west-1' } }],
      }),
      turn({
        text:
          `This one is on our side, not your integration. Incident ${incident.id} ("${incident.title}") ` +
          `has been open since ${incident.startedAt.slice(0, 16).replace('T', ' ')} UTC and we are ${incident.status} it; ` +
          `over the last 24 hours ${status.errorRatePercent}% of API requests in eu-west-1 returned 503.\n\n` +
          'Until it is resolved:\n' +
          '- Retry 503 responses with exponential backoff and jitter (for example 0.5 s, 1 s, 2 s, at most 5 attempts).\n' +
          '- If you can, send traffic to us-east-1, which is operating normally.\n' +
          `- Follow ${incident.id} on the status page for updates.\n\n` +
          'Your refund from earlier is already on its way, so there is nothing more you need to do on billing.',
      }),
    );
  },
};

const annualPlanQuote: ScriptedScenario = {
  name: 'annual-plan-quote',
  input:
    "We're a 12-person team, each of us on Pro and billed monthly. What would a year cost on the Team plan " +
    'paid annually, compared with staying on Pro?',
  description: 'A pricing question: Triage -> Billing, which prices three options with parallel quote_plan calls.',
  script({ models, transfers }, turn) {
    const current = quotePlan('pro', 12, 'monthly');
    const proAnnual = quotePlan('pro', 12, 'annual');
    const teamAnnual = quotePlan('team', 12, 'annual');
    const currentYearCents = current.totalCents * 12;

    models.triage.enqueue(
      turn({
        reasoning: 'This is a pricing comparison between plans for 12 seats, which Billing handles.',
        calls: [
          {
            name: transfers.toBilling.toolName,
            arguments: { reason: 'Customer wants an annual price comparison of Team versus Pro for 12 seats.' },
          },
        ],
      }),
    );

    models.billing.enqueue(
      turn({
        reasoning:
          'Quote all three options so the comparison is complete: what they pay now (Pro, monthly), ' +
          'Pro paid annually, and Team paid annually.',
        calls: [
          { name: 'quote_plan', arguments: { plan: 'pro', seats: 12, cycle: 'monthly' } },
          { name: 'quote_plan', arguments: { plan: 'pro', seats: 12, cycle: 'annual' } },
          { name: 'quote_plan', arguments: { plan: 'team', seats: 12, cycle: 'annual' } },
        ],
      }),
      turn({
        text:
          'Here is what a year would cost for 12 seats:\n\n' +
          `- Pro, billed monthly (what you pay now): ${current.total} a month, ${formatUsd(currentYearCents)} a year.\n` +
          `- Pro, billed annually: ${proAnnual.total} a year, since annual billing charges 10 months for 12.\n` +
          `- Team, billed annually: ${formatUsd(teamAnnual.listCents)} list, less a ${teamAnnual.discountPercent}% ` +
          `volume discount for 10 or more seats, so ${teamAnnual.total} a year.\n\n` +
          `Moving to Team on annual billing saves ${formatUsd(currentYearCents - teamAnnual.totalCents)} a year ` +
          `compared with today, and ${formatUsd(proAnnual.totalCents - teamAnnual.totalCents)} compared with Pro ` +
          'paid annually. I can switch you over at your next renewal if you like.',
      }),
    );
  },
};

const LATENCY_SAMPLES_MS = [
  112, 118, 121, 125, 127, 131, 134, 138, 141, 145, 149, 152, 158, 163, 171, 180, 410, 455, 520, 1240,
];
const LATENCY_SLO_MS = 300;

const latencyRegression: ScriptedScenario = {
  name: 'latency-regression',
  input:
    "Since yesterday's deploy our API latency in us-east-1 looks much worse and we're worried about our " +
    `${LATENCY_SLO_MS} ms SLO. Timings from this morning, in ms: ${LATENCY_SAMPLES_MS.join(', ')}.`,
  description:
    'A performance question: Triage -> Technical Support, which computes latency percentiles and checks ' +
    'platform status in parallel.',
  script({ models, transfers }, turn) {
    const stats = latencyStats(LATENCY_SAMPLES_MS, LATENCY_SLO_MS);
    const status = serviceStatus('api', 'us-east-1');

    models.triage.enqueue(
      turn({
        reasoning: 'A latency regression after a deploy is a performance problem for Technical Support.',
        calls: [
          {
            name: transfers.toTechnical.toolName,
            arguments: { reason: 'Customer reports higher API latency in us-east-1 since their deploy yesterday.' },
          },
        ],
      }),
    );

    models.technical.enqueue(
      turn({
        reasoning:
          'Quantify the samples against the SLO, and rule the platform in or out by checking the API in ' +
          'us-east-1 at the same time.',
        calls: [
          { name: 'compute_latency_stats', arguments: { samplesMs: LATENCY_SAMPLES_MS, sloMs: LATENCY_SLO_MS } },
          { name: 'check_service_status', arguments: { service: 'api', region: 'us-east-1' } },
        ],
      }),
      turn({
        text:
          `Your ${stats.count} samples have a median of ${stats.p50Ms} ms (mean ${stats.meanMs} ms), but p95 is ` +
          `${stats.p95Ms} ms and p99 ${stats.p99Ms} ms, and ${stats.overSloCount} of ${stats.count} requests ` +
          `exceed your ${stats.sloMs} ms SLO. The typical request did not get slower; a tail of slow requests appeared.\n\n` +
          `The platform does not look like the cause: the API in us-east-1 is ${status.status} with a ` +
          `${status.errorRatePercent}% error rate and no open incident. A new tail right after a deploy usually ` +
          'means a code path that only some requests take. Next steps:\n' +
          '- Compare the endpoints and payload sizes of the slow requests with the fast ones.\n' +
          '- Look in the deploy diff for new synchronous calls, N+1 queries or a cache that starts cold.\n' +
          `- If it is urgent, roll back and check that p95 returns below ${stats.sloMs} ms.`,
      }),
    );
  },
};

export const scriptedScenarios: readonly ScriptedScenario[] = [
  duplicateChargeAndOutage,
  annualPlanQuote,
  latencyRegression,
];
