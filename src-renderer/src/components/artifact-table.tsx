import {
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
import type { Manifest } from '@contract/manifest.js';
import { formatBytes } from '@contract/format.js';
import { StatusBadge } from './status-badge.js';

const useStyles = makeStyles({
  mono: {
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    overflowWrap: 'anywhere',
  },
  note: { color: tokens.colorNeutralForeground2 },
});

/** Each component's place and each artifact's size and SHA-256, as the manifest records them. */
export function ArtifactTable({ manifest }: { manifest: Manifest }) {
  const s = useStyles();
  return (
    <Table size="small" aria-label="Artifacts">
      <TableHeader>
        <TableRow>
          <TableHeaderCell style={{ width: '18%' }}>Component</TableHeaderCell>
          <TableHeaderCell style={{ width: '32%' }}>Artifact / place</TableHeaderCell>
          <TableHeaderCell style={{ width: '12%' }}>Size</TableHeaderCell>
          <TableHeaderCell>SHA-256</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {manifest.components.flatMap((c) => [
          <TableRow key={c.id} data-testid={`component-${c.id}`}>
            <TableCell>
              <Text weight="semibold">{c.id}</Text> <StatusBadge status={c.status} size="small" />
            </TableCell>
            <TableCell>
              {/* A component that was not taken has no place worth showing. */}
              <Text className={s.mono}>
                {c.status === 'skipped' || c.status === 'not-run' ? '–' : (c.location ?? '–')}
              </Text>
            </TableCell>
            <TableCell>
              {c.status === 'skipped' || c.status === 'not-run'
                ? '–'
                : formatBytes(c.artifacts.reduce((a, x) => a + x.bytes, 0))}
            </TableCell>
            <TableCell className={s.note}>
              {c.skippedReason ??
                c.error?.message ??
                (c.consistencyPoint ? `Consistency point ${c.consistencyPoint.time}` : '')}
            </TableCell>
          </TableRow>,
          ...c.artifacts.map((a) => (
            <TableRow key={`${c.id}/${a.path}`} data-testid="artifact">
              <TableCell />
              <TableCell>
                <Text className={s.mono}>{a.path}</Text>
              </TableCell>
              <TableCell>{formatBytes(a.bytes)}</TableCell>
              <TableCell>
                <Text className={s.mono}>{a.sha256}</Text>
              </TableCell>
            </TableRow>
          )),
        ])}
      </TableBody>
    </Table>
  );
}
