// The Overview's view of a profile's drive rotation (issue 18): each drive, connected or when it
// was last seen, its newest copy, and a warning for a drive away too long or never seen.
import { MessageBar, MessageBarBody, Text, makeStyles, tokens } from '@fluentui/react-components';
import { formatBytes, formatDateTime } from '@contract/format.js';
import type { RotationStatusView } from '@contract/removable.js';

const useStyles = makeStyles({
  list: { display: 'grid', rowGap: tokens.spacingVerticalXS, marginTop: tokens.spacingVerticalS },
});

export function RotationDrives({ rotation }: { rotation: RotationStatusView }) {
  const s = useStyles();
  return (
    <div className={s.list} data-testid="overview-rotation">
      <Text weight="semibold">Drive rotation</Text>
      {rotation.problems.map((p) => (
        <MessageBar key={p} intent="warning">
          <MessageBarBody>{p}</MessageBarBody>
        </MessageBar>
      ))}
      {rotation.drives.map((d) => (
        <div key={d.volumeId} data-testid="rotation-drive">
          <Text>
            {d.label ?? d.volumeId.slice(0, 8)}:{' '}
            {d.connected
              ? `connected at ${d.root ?? ''}${d.freeBytes !== undefined ? `, ${formatBytes(d.freeBytes)} free` : ''}`
              : d.lastSeenAt
                ? `not connected, last seen ${formatDateTime(d.lastSeenAt)}`
                : 'never connected'}
            {d.newestSet ? `; newest copy ${d.newestSet.setName}` : ''}
          </Text>
          {d.warning ? (
            <MessageBar intent="warning">
              <MessageBarBody>{d.warning}</MessageBarBody>
            </MessageBar>
          ) : null}
        </div>
      ))}
    </div>
  );
}
