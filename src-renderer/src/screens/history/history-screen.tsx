import {
  Badge,
  Button,
  Dropdown,
  Field,
  Option,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  Title2,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useState } from 'react';
import type { ProfileRecord } from '@contract/ui.js';
import { call, useApi } from '../../api/api-context.js';
import { ErrorBar } from '../../components/error-bar.js';
import { StatusBadge, setBadgeStatus } from '../../components/status-badge.js';
import { formatBytes, formatDateTime, formatDuration } from '@contract/format.js';
import { ArrowSyncRegular, HistoryRegular } from '../../icons.js';
import { useRestore } from '../../state/restore-context.js';
import { RestoreWizard } from '../restore/restore-wizard.js';
import { useAsync } from '../../state/use-async.js';
import { SetDetails } from './set-details.js';

const useStyles = makeStyles({
  root: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalL,
    paddingTop: tokens.spacingVerticalL,
    paddingBottom: tokens.spacingVerticalXXL,
  },
  title: { margin: 0 },
  bar: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'flex-end' },
  selected: { backgroundColor: tokens.colorNeutralBackground1Selected },
  bad: { color: tokens.colorPaletteRedForeground1 },
});

export function HistoryScreen(props: {
  profiles: ProfileRecord[];
  selected?: string;
  onSelect: (name: string) => void;
}) {
  const api = useApi();
  const s = useStyles();
  const name = props.selected ?? props.profiles[0]?.profile.profile;
  const sets = useAsync(
    () => (name === undefined ? Promise.resolve([]) : call(api, 'sets:list', name)),
    name ?? '',
  );
  const [picked, setPicked] = useState<string | undefined>();
  const [restoring, setRestoring] = useState<string | undefined>();
  const restore = useRestore();
  const current = sets.value?.find((x) => x.path === picked);
  const wizardFor = restore.current?.setPath ?? restoring;
  if (wizardFor !== undefined && (restore.current?.profile ?? name) !== undefined)
    return (
      <div className={s.root}>
        <Title2 as="h1" className={s.title}>
          Restore
        </Title2>
        <RestoreWizard
          key={wizardFor}
          profile={restore.current?.profile ?? name ?? ''}
          setPath={wizardFor}
          onClose={() => {
            setRestoring(undefined);
            sets.reload();
          }}
        />
      </div>
    );
  return (
    <div className={s.root}>
      <Title2 as="h1" className={s.title}>
        History
      </Title2>
      <div className={s.bar}>
        <Field label="Profile">
          <Dropdown
            value={name ?? ''}
            selectedOptions={name ? [name] : []}
            placeholder="No profiles yet"
            onOptionSelect={(_e, d) => {
              setPicked(undefined);
              if (d.optionValue) props.onSelect(d.optionValue);
            }}
          >
            {props.profiles.map((p) => (
              <Option key={p.profile.profile} value={p.profile.profile}>
                {p.profile.profile}
              </Option>
            ))}
          </Dropdown>
        </Field>
        <Button icon={<ArrowSyncRegular />} onClick={sets.reload}>
          Refresh
        </Button>
        {sets.loading ? <Spinner size="tiny" label="Reading the destinations…" /> : null}
      </div>
      {sets.error ? <ErrorBar error={sets.error} title="The sets cannot be listed" /> : null}
      {props.profiles.length === 0 ? (
        <Text>There is no profile yet, so there are no backup sets to show.</Text>
      ) : null}
      {sets.value && sets.value.length === 0 ? (
        <Text>{`No backup sets of “${name ?? ''}” on its destinations yet.`}</Text>
      ) : null}
      {sets.value && sets.value.length > 0 ? (
        <Table aria-label="Backup sets" size="small">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Taken</TableHeaderCell>
              <TableHeaderCell>Kind</TableHeaderCell>
              <TableHeaderCell>Status</TableHeaderCell>
              <TableHeaderCell>Size</TableHeaderCell>
              <TableHeaderCell>Consistency window</TableHeaderCell>
              <TableHeaderCell>Set</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {sets.value.map((x) => (
              <TableRow
                key={x.path}
                className={x.path === picked ? s.selected : undefined}
                onClick={() => setPicked(x.path)}
                data-testid="set-row"
                data-set={x.setName}
                style={{ cursor: 'pointer' }}
              >
                <TableCell>{formatDateTime(x.startedAt)}</TableCell>
                <TableCell>
                  {x.kind ?? '–'}
                  {x.label ? ` — ${x.label}` : ''} {x.pinned ? <Badge appearance="tint">pinned</Badge> : null}
                </TableCell>
                <TableCell>
                  <StatusBadge status={setBadgeStatus(x)} size="small" />
                </TableCell>
                <TableCell>
                  {formatBytes(
                    // An unfinished set is measured by what it left on disk, .partial files included.
                    x.left
                      ? x.left.total.bytes
                      : x.manifest
                        ? x.manifest.components.reduce(
                            (a, c) => a + c.artifacts.reduce((b, y) => b + y.bytes, 0),
                            0,
                          )
                        : x.bytes,
                  )}
                </TableCell>
                <TableCell className={x.withinTolerance === false ? s.bad : undefined}>
                  {x.skewSeconds !== undefined ? formatDuration(x.skewSeconds) : '–'}
                  {x.withinTolerance === false ? ' (over tolerance)' : ''}
                </TableCell>
                <TableCell>
                  <Button size="small" appearance="subtle" onClick={() => setPicked(x.path)}>
                    {x.setName}
                  </Button>
                  <Button
                    size="small"
                    icon={<HistoryRegular />}
                    disabled={!x.manifest}
                    aria-label={`Restore ${x.setName}…`}
                    title={x.manifest ? undefined : 'No readable manifest: this folder cannot be restored.'}
                    onClick={(e) => {
                      e.stopPropagation();
                      setRestoring(x.path);
                    }}
                  >
                    Restore…
                  </Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : null}
      {current ? (
        <SetDetails
          key={current.path}
          set={current}
          onVerified={sets.reload}
          onRestore={() => setRestoring(current.path)}
          onDeleted={() => {
            setPicked(undefined);
            sets.reload();
          }}
        />
      ) : null}
    </div>
  );
}
