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

export function DriveTable(props: {
  drives: DriveInfo[];
  onUse: (drive: DriveInfo) => void;
  busyRoot?: string;
}) {
  if (props.drives.length === 0) return <Text>No drives found. Connect a backup drive and refresh.</Text>;
  return (
    <Table size="small" aria-label="Drives">
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
        {props.drives.map((d) => (
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
                disabled={props.busyRoot === d.root}
                aria-label={`Use this drive: ${d.label ?? d.root}`}
              >
                Use this drive
              </Button>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
