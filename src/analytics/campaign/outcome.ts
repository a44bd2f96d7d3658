/**
 * A campaign's outcome per group, from either a later upload of the same customers (the product
 * flag turned from 0 to 1) or a list of responder ids. Members are matched by customer id; members
 * missing from a later upload are left out of both groups and counted.
 */
import type { GroupOutcome } from './lift.js';

export interface AssignedMember {
  customerId: string;
  group: 'treatment' | 'control';
}

export interface CampaignOutcome {
  treatment: GroupOutcome;
  control: GroupOutcome;
  /** Members the outcome source did not cover (not in the later upload). */
  unmatched: number;
  /** Ids in a responder list that are not campaign members (other customers converted too). */
  outsiders: number;
}

/** Outcome from a responder list: a member converted when their id is listed. */
export function outcomeFromResponders(
  members: readonly AssignedMember[],
  responders: Iterable<string>,
): CampaignOutcome {
  const listed = new Set(responders);
  const outcome = emptyOutcome();
  let inCampaign = 0;
  for (const member of members) {
    const group = outcome[member.group];
    group.customers++;
    if (listed.has(member.customerId)) {
      group.conversions++;
      inCampaign++;
    }
  }
  outcome.outsiders = listed.size - inCampaign;
  return outcome;
}

/**
 * Outcome from a later upload: `holdsLater(id)` is true when the customer holds the product in the
 * later file, false when they do not, and null when they are not in it. Members were non-holders at
 * assignment, so holding it now is a conversion.
 */
export function outcomeFromLaterUpload(
  members: readonly AssignedMember[],
  holdsLater: (customerId: string) => boolean | null,
): CampaignOutcome {
  const outcome = emptyOutcome();
  for (const member of members) {
    const holds = holdsLater(member.customerId);
    if (holds === null) {
      outcome.unmatched++;
      continue;
    }
    const group = outcome[member.group];
    group.customers++;
    if (holds) group.conversions++;
  }
  return outcome;
}

function emptyOutcome(): CampaignOutcome {
  return {
    treatment: { customers: 0, conversions: 0 },
    control: { customers: 0, conversions: 0 },
    unmatched: 0,
    outsiders: 0,
  };
}
