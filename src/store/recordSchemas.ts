import { z } from 'zod';

/**
 * The shapes of the JSON a run's record holds (tags, metadata, its agents' tools and handoffs), as an imported
 * export is checked (messages name the path of what is wrong); a stored row is checked against the same shapes
 * without zod (recordShapes.ts). Key order as the recorder writes them (zod's output follows the schema's), so
 * values round-trip byte for byte.
 */
export const tagsSchema = z.array(z.string());
export const metadataSchema = z.record(z.string(), z.unknown());
export const toolSchema = z.looseObject({ name: z.string(), type: z.string(), description: z.string().optional(), parameters: z.unknown().optional() });
export const handoffSchema = z.looseObject({ agent: z.string(), toolName: z.string().optional(), toolDescription: z.string().optional() });
export const toolsSchema = z.array(toolSchema);
export const handoffsSchema = z.array(handoffSchema);
