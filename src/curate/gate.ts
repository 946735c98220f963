// The publish gate: heat against the threshold, unless an editor has pinned or blocked the story.
import type { GateInput } from './types.ts';

export interface GateDecision {
  published: boolean | null;
  reason: string;
}

export function decidePublished(input: GateInput): GateDecision {
  if (input.override === 'pin') return { published: true, reason: 'pinned by an editor' };
  if (input.override === 'block') return { published: false, reason: 'blocked by an editor' };
  if (input.heat === null) return { published: null, reason: 'not scored yet' };
  return input.heat >= input.threshold
    ? { published: true, reason: `heat ${input.heat} >= threshold ${input.threshold}` }
    : { published: false, reason: `heat ${input.heat} < threshold ${input.threshold}` };
}
