import { z } from 'zod';

/**
 * The shapes of the JSON a run's record holds (tags, metadata, its agents' tools and handoffs): checked when
 * an export is imported, and when a stored row is read back (it may hold what runtape never wrote).
 * Key order as the recorder writes them (zod's output follows the schema's), so values round-trip byte for byte.
 */
export const tagsSchema = z.array(z.string());
export const metadataSchema = z.record(z.string(), z.unknown());
export const toolSchema = z.looseObject({ name: z.string(), type: z.string(), description: z.string().optional(), parameters: z.unknown().optional() });
export const handoffSchema = z.looseObject({ agent: z.string(), toolName: z.string().optional(), toolDescription: z.string().optional() });
export const toolsSchema = z.array(toolSchema);
export const handoffsSchema = z.array(handoffSchema);
