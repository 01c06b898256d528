import { Badge } from '@fluentui/react-components';
import type { ComponentStatus } from '@contract/events.js';
import type { SetSummary } from '@contract/sets.js';

type Status = ComponentStatus | 'incomplete' | 'pending' | 'unreadable' | 'damaged';

const LOOK: Record<
  Status,
  { color: 'success' | 'warning' | 'danger' | 'informative' | 'subtle' | 'brand' | 'severe'; text: string }
> = {
  succeeded: { color: 'success', text: 'Succeeded' },
  'succeeded-with-warnings': { color: 'warning', text: 'Succeeded with warnings' },
  failed: { color: 'danger', text: 'Failed' },
  cancelled: { color: 'severe', text: 'Cancelled' },
  incomplete: { color: 'danger', text: 'Incomplete' },
  unreadable: { color: 'danger', text: 'Unreadable' },
  damaged: { color: 'danger', text: 'Damaged' },
  running: { color: 'brand', text: 'Running' },
  skipped: { color: 'subtle', text: 'Not configured' },
  'not-run': { color: 'subtle', text: 'Not run' },
  pending: { color: 'informative', text: 'Waiting' },
};

export function StatusBadge({ status, size }: { status: Status; size?: 'small' | 'medium' | 'large' }) {
  const look = LOOK[status];
  return (
    <Badge appearance="filled" color={look.color} size={size ?? 'medium'} data-status={status}>
      {look.text}
    </Badge>
  );
}

/** A set's badge: a set verify found damaged says "Damaged" whatever its run said. */
export function setBadgeStatus(s: Pick<SetSummary, 'status' | 'damaged'>): Status {
  return s.damaged === true ? 'damaged' : s.status;
}
