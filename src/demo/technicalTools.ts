import { tool } from '@openai/agents';
import { z } from 'zod';
import type { Pacer } from './pacing.js';

/** Simulated monitoring-backend latency (ms at pace 1), visible between tool_called and tool_output. */
const BACKEND_MS = 240;

export type Service = 'api' | 'dashboard' | 'webhooks';
export type Region = 'us-east-1' | 'eu-west-1' | 'ap-southeast-2';

interface Incident {
  id: string;
  service: Service;
  region: Region;
  title: string;
  startedAt: string;
  status: 'investigating' | 'mitigating';
  workaround: string;
}

const INCIDENTS: readonly Incident[] = [
  {
    id: 'INC-2291',
    service: 'api',
    region: 'eu-west-1',
    title: 'Elevated 503 responses from the API gateway',
    startedAt: '2025-06-17T14:05:00Z',
    status: 'mitigating',
    workaround: 'Retry with exponential backoff, or send traffic to us-east-1 until resolved.',
  },
];

/** Last-24h request counters per service/region, from which error rates are computed. */
const TRAFFIC: Readonly<Record<string, { requests: number; errors: number }>> = {
  'api/us-east-1': { requests: 3_910_000, errors: 1_173 },
  'api/eu-west-1': { requests: 1_284_000, errors: 41_088 },
  'api/ap-southeast-2': { requests: 402_000, errors: 96 },
};

export interface ServiceStatus {
  service: Service;
  region: Region;
  status: 'operational' | 'degraded';
  errorRatePercent: number | null;
  incident: Incident | null;
}

export function serviceStatus(service: Service, region: Region): ServiceStatus {
  const incident = INCIDENTS.find((i) => i.service === service && i.region === region) ?? null;
  const traffic = TRAFFIC[`${service}/${region}`];
  const errorRatePercent =
    traffic === undefined ? null : Math.round((traffic.errors / traffic.requests) * 10_000) / 100;
  return { service, region, status: incident ? 'degraded' : 'operational', errorRatePercent, incident };
}

export interface LatencyStats {
  count: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  overSloCount: number;
  sloMs: number;
}

/** Nearest-rank percentiles: with few samples they stay actual observed values. */
export function latencyStats(samplesMs: readonly number[], sloMs: number): LatencyStats {
  if (samplesMs.length === 0) throw new Error('No latency samples given');
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const percentile = (p: number) => sorted[Math.ceil((p / 100) * sorted.length) - 1];
  const mean = sorted.reduce((sum, v) => sum + v, 0) / sorted.length;
  return {
    count: sorted.length,
    meanMs: Math.round(mean),
    p50Ms: percentile(50),
    p95Ms: percentile(95),
    p99Ms: percentile(99),
    maxMs: sorted[sorted.length - 1],
    overSloCount: sorted.filter((v) => v > sloMs).length,
    sloMs,
  };
}

/** The technical agent's function tools; each waits like a backend call, then computes its answer. */
export function createTechnicalTools(pacer: Pacer) {
  return [
    tool({
      name: 'check_service_status',
      description: 'Current status, open incidents and 24h error rate for a service in a region.',
      parameters: z.object({
        service: z.enum(['api', 'dashboard', 'webhooks']),
        region: z.enum(['us-east-1', 'eu-west-1', 'ap-southeast-2']),
      }),
      execute: async ({ service, region }) => {
        await pacer.wait(BACKEND_MS);
        return serviceStatus(service, region);
      },
    }),
    tool({
      name: 'compute_latency_stats',
      description: 'Summarize request latencies (ms): mean, p50/p95/p99, max and how many exceed the SLO.',
      parameters: z.object({
        samplesMs: z.array(z.number().nonnegative()),
        sloMs: z.number().positive(),
      }),
      execute: async ({ samplesMs, sloMs }) => {
        await pacer.wait(BACKEND_MS);
        return latencyStats(samplesMs, sloMs);
      },
    }),
  ];
}
