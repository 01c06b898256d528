import {
  Badge,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import type { RetentionPlanView } from '@contract/ui.js';
import { formatBytes, formatDateTime } from '@contract/format.js';

const useStyles = makeStyles({
  mono: {
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    overflowWrap: 'anywhere',
  },
  summary: { display: 'block', marginBottom: tokens.spacingVerticalS },
});

/** The engine's retention plan: every set, keep or delete, and the reason in its words. */
export function RetentionPlanTable({ plan }: { plan: RetentionPlanView }) {
  const s = useStyles();
  return (
    <div data-testid="retention-plan">
      <Text className={s.summary} weight="semibold">
        {plan.toDelete.length === 0
          ? `Nothing would be deleted (${plan.entries.length} set(s) found).`
          : `${plan.toDelete.length} of ${plan.entries.length} set(s) would be deleted, freeing ${formatBytes(plan.bytesToFree)}.`}
      </Text>
      {plan.problems.map((p) => (
        <Text key={p} as="p">
          {p}
        </Text>
      ))}
      <Table size="small" aria-label="Retention plan">
        <TableHeader>
          <TableRow>
            <TableHeaderCell style={{ width: '12%' }}>Decision</TableHeaderCell>
            <TableHeaderCell style={{ width: '30%' }}>Set</TableHeaderCell>
            <TableHeaderCell style={{ width: '14%' }}>Started</TableHeaderCell>
            <TableHeaderCell style={{ width: '8%' }}>Size</TableHeaderCell>
            <TableHeaderCell>Why</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {plan.entries.map((e) => (
            <TableRow key={e.setName} data-testid="retention-entry" data-action={e.action}>
              <TableCell>
                <Badge appearance="tint" color={e.action === 'delete' ? 'danger' : 'success'}>
                  {e.action === 'delete' ? 'would delete' : 'keep'}
                </Badge>
              </TableCell>
              <TableCell>
                <Text className={s.mono}>{e.setName}</Text>
                {e.label ? <Text size={200}> — {e.label}</Text> : null}
              </TableCell>
              <TableCell>{formatDateTime(e.startedAt)}</TableCell>
              <TableCell>{formatBytes(e.bytes)}</TableCell>
              <TableCell>{e.reason}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
