import { tool } from '@openai/agents';
import { z } from 'zod';
import type { Pacer } from './pacing.js';
import { deriveSeed } from './random.js';

/** The demo's fixed "today", so refund dates do not change from run to run. */
const TODAY = '2025-06-18';
const REFUND_BUSINESS_DAYS = 5;
/** Simulated billing-backend latency (ms at pace 1), visible between tool_called and tool_output. */
const BACKEND_MS = 180;

interface Invoice {
  id: string;
  accountId: string;
  date: string;
  description: string;
  amountCents: number;
}

const INVOICES: readonly Invoice[] = [
  { id: 'inv_0977', accountId: 'acct_4821', date: '2025-05-01', description: 'Pro plan (1 seat)', amountCents: 4900 },
  { id: 'inv_1001', accountId: 'acct_4821', date: '2025-06-01', description: 'Pro plan (1 seat)', amountCents: 4900 },
  { id: 'inv_1002', accountId: 'acct_4821', date: '2025-06-01', description: 'Pro plan (1 seat)', amountCents: 4900 },
  { id: 'inv_1003', accountId: 'acct_4821', date: '2025-06-14', description: 'Extra storage 100 GB', amountCents: 1200 },
];

export function formatUsd(cents: number): string {
  return `$${(cents / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

export interface DuplicateCharge {
  keptInvoiceId: string;
  duplicateInvoiceId: string;
  description: string;
  date: string;
  amountCents: number;
}

export interface DuplicateReport {
  accountId: string;
  month: string;
  invoicesChecked: number;
  duplicates: DuplicateCharge[];
  refundableCents: number;
}

/** Same day, description and amount twice in a month is a double charge; the first one stands. */
export function findDuplicateCharges(accountId: string, month: string): DuplicateReport {
  const invoices = INVOICES.filter((i) => i.accountId === accountId && i.date.startsWith(month));
  const firstByKey = new Map<string, Invoice>();
  const duplicates: DuplicateCharge[] = [];
  for (const invoice of invoices) {
    const key = `${invoice.date}|${invoice.description}|${invoice.amountCents}`;
    const kept = firstByKey.get(key);
    if (kept === undefined) {
      firstByKey.set(key, invoice);
      continue;
    }
    duplicates.push({
      keptInvoiceId: kept.id,
      duplicateInvoiceId: invoice.id,
      description: invoice.description,
      date: invoice.date,
      amountCents: invoice.amountCents,
    });
  }
  const refundableCents = duplicates.reduce((sum, d) => sum + d.amountCents, 0);
  return { accountId, month, invoicesChecked: invoices.length, duplicates, refundableCents };
}

export interface Refund {
  refundId: string;
  invoiceId: string;
  amount: string;
  expectedBy: string;
}

export function issueRefund(invoiceId: string, amountCents: number): Refund {
  const invoice = INVOICES.find((i) => i.id === invoiceId);
  if (invoice === undefined) throw new Error(`Unknown invoice ${invoiceId}`);
  if (amountCents <= 0 || amountCents > invoice.amountCents) {
    throw new Error(`Refund of ${formatUsd(amountCents)} exceeds invoice total ${formatUsd(invoice.amountCents)}`);
  }
  return {
    // Derived from the invoice so a retried refund gets the same id, like an idempotency key.
    refundId: `re_${deriveSeed(amountCents, invoiceId).toString(16).padStart(8, '0')}`,
    invoiceId,
    amount: formatUsd(amountCents),
    expectedBy: addBusinessDays(TODAY, REFUND_BUSINESS_DAYS),
  };
}

function addBusinessDays(isoDate: string, days: number): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  let remaining = days;
  while (remaining > 0) {
    date.setUTCDate(date.getUTCDate() + 1);
    const weekday = date.getUTCDay();
    if (weekday !== 0 && weekday !== 6) remaining--;
  }
  return date.toISOString().slice(0, 10);
}

export type Plan = 'pro' | 'team' | 'enterprise';
export type BillingCycle = 'monthly' | 'annual';

const SEAT_PRICE_CENTS: Record<Plan, number> = { pro: 4900, team: 3900, enterprise: 5900 };
const MIN_SEATS: Record<Plan, number> = { pro: 1, team: 5, enterprise: 25 };
/** Annual billing charges ten months for twelve. */
const BILLED_MONTHS: Record<BillingCycle, number> = { monthly: 1, annual: 10 };
const VOLUME_DISCOUNT: { plan: Plan; minSeats: number; percent: number } = { plan: 'team', minSeats: 10, percent: 10 };

export interface Quote {
  plan: Plan;
  seats: number;
  billedSeats: number;
  cycle: BillingCycle;
  listCents: number;
  discountPercent: number;
  totalCents: number;
  total: string;
}

export function quotePlan(plan: Plan, seats: number, cycle: BillingCycle): Quote {
  const billedSeats = Math.max(seats, MIN_SEATS[plan]);
  const listCents = SEAT_PRICE_CENTS[plan] * billedSeats * BILLED_MONTHS[cycle];
  const discountPercent =
    plan === VOLUME_DISCOUNT.plan && billedSeats >= VOLUME_DISCOUNT.minSeats ? VOLUME_DISCOUNT.percent : 0;
  const totalCents = Math.round((listCents * (100 - discountPercent)) / 100);
  return { plan, seats, billedSeats, cycle, listCents, discountPercent, totalCents, total: formatUsd(totalCents) };
}

/** The billing agent's function tools; each waits like a backend call, then computes its answer. */
export function createBillingTools(pacer: Pacer) {
  return [
    tool({
      name: 'find_duplicate_charges',
      description: 'Scan an account\'s invoices for a month and report charges that were billed twice.',
      parameters: z.object({
        accountId: z.string().describe('Account id, e.g. acct_4821'),
        month: z.string().regex(/^\d{4}-\d{2}$/).describe('Billing month as YYYY-MM'),
      }),
      execute: async ({ accountId, month }) => {
        await pacer.wait(BACKEND_MS);
        return findDuplicateCharges(accountId, month);
      },
    }),
    tool({
      name: 'issue_refund',
      description: 'Refund all or part of an invoice to the original payment method.',
      parameters: z.object({
        invoiceId: z.string(),
        amountCents: z.number().int().positive(),
      }),
      execute: async ({ invoiceId, amountCents }) => {
        await pacer.wait(BACKEND_MS);
        return issueRefund(invoiceId, amountCents);
      },
    }),
    tool({
      name: 'quote_plan',
      description: 'Price a subscription plan for a number of seats and a billing cycle, discounts included.',
      parameters: z.object({
        plan: z.enum(['pro', 'team', 'enterprise']),
        seats: z.number().int().positive(),
        cycle: z.enum(['monthly', 'annual']),
      }),
      execute: async ({ plan, seats, cycle }) => {
        await pacer.wait(BACKEND_MS);
        return quotePlan(plan, seats, cycle);
      },
    }),
  ];
}
