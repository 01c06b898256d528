import {
  Badge,
  Button,
  Table,
  TableBody,
  TableCell,
  TableCellLayout,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
} from '@fluentui/react-components';
import type { DriveInfo } from '@contract/ui.js';
import { formatBytes } from '@contract/format.js';
import { HardDriveRegular, UsbStickRegular } from '../../icons.js';

/** What a drive's button says, and whether it can be pressed ("Use this drive" when not given). */
export interface DriveAction {
  text: string;
  disabled?: boolean;
}

export function DriveTable(props: {
  drives: DriveInfo[];
  onUse: (drive: DriveInfo) => void;
  busyRoot?: string;
  /** The table's accessible name: unique when several drive tables are on one screen. */
  label?: string;
  action?: (drive: DriveInfo) => DriveAction;
}) {
  if (props.drives.length === 0) return <Text>No drives found. Connect a backup drive and refresh.</Text>;
  const actionOf = props.action ?? ((): DriveAction => ({ text: 'Use this drive' }));
  return (
    <Table size="small" aria-label={props.label ?? 'Drives'}>
      <TableHeader>
        <TableRow>
          <TableHeaderCell style={{ width: '36%' }}>Drive</TableHeaderCell>
          <TableHeaderCell>Label</TableHeaderCell>
          <TableHeaderCell>File system</TableHeaderCell>
          <TableHeaderCell>Size</TableHeaderCell>
          <TableHeaderCell>Free</TableHeaderCell>
          <TableHeaderCell style={{ width: '130px' }} />
        </TableRow>
      </TableHeader>
      <TableBody>
        {props.drives.map((d) => {
          const action = actionOf(d);
          return (
            <TableRow key={d.root} data-root={d.root}>
              <TableCell>
                <TableCellLayout
                  media={d.removable ? <UsbStickRegular /> : <HardDriveRegular />}
                  style={{ overflowWrap: 'anywhere' }}
                >
                  {d.root}{' '}
                  {d.removable ? (
                    <Badge appearance="tint" color="informative">
                      removable
                    </Badge>
                  ) : null}{' '}
                  {d.marker ? (
                    <Badge appearance="tint" color="success">
                      backup drive
                    </Badge>
                  ) : null}
                </TableCellLayout>
              </TableCell>
              <TableCell>{d.label ?? '–'}</TableCell>
              <TableCell>
                {d.fileSystem ?? '–'}
                {d.fileSystem?.toUpperCase() === 'FAT32' ? ' (files over 4 GB impossible)' : ''}
              </TableCell>
              <TableCell>{formatBytes(d.sizeBytes)}</TableCell>
              <TableCell>{formatBytes(d.freeBytes)}</TableCell>
              <TableCell>
                <Button
                  size="small"
                  onClick={() => props.onUse(d)}
                  disabled={props.busyRoot === d.root || action.disabled === true}
                  aria-label={`${action.text}: ${d.label ?? d.root}`}
                >
                  {action.text}
                </Button>
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
