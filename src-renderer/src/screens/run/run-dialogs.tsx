import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
} from '@fluentui/react-components';
import { useState } from 'react';

export function CancelDialog(props: {
  open: boolean;
  profile: string;
  onConfirm: () => void;
  onClose: () => void;
}) {
  return (
    <Dialog open={props.open} modalType="alert" onOpenChange={(_e, d) => !d.open && props.onClose()}>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>Cancel the backup of “{props.profile}”?</DialogTitle>
          <DialogContent>
            The step in progress stops and its unfinished files are removed. The set is kept and marked as
            cancelled: it is not a usable backup.
          </DialogContent>
          <DialogActions>
            {/* The safe choice has the focus: Enter or Esc keeps the backup running. */}
            <Button appearance="primary" autoFocus onClick={props.onClose}>
              Keep running
            </Button>
            <Button onClick={props.onConfirm}>Cancel the backup</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}

export function PreUpgradeDialog(props: {
  open: boolean;
  profile: string;
  onStart: (label: string) => void;
  onClose: () => void;
}) {
  const [label, setLabel] = useState('');
  return (
    <Dialog open={props.open} onOpenChange={(_e, d) => !d.open && props.onClose()}>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>Pre-upgrade dump of “{props.profile}”</DialogTitle>
          <DialogContent>
            <p>
              A full backup taken before an upgrade, migration or massive import. It is labelled, pinned and
              never removed by retention; Octane’s configuration files are copied with it.
            </p>
            <Field label="Label" required hint='What is about to happen, e.g. "before 25.1 upgrade".'>
              <Input name="pre-upgrade-label" value={label} onChange={(_e, d) => setLabel(d.value)} />
            </Field>
          </DialogContent>
          <DialogActions>
            <Button
              appearance="primary"
              disabled={label.trim() === ''}
              onClick={() => props.onStart(label.trim())}
            >
              Start the dump
            </Button>
            <Button onClick={props.onClose}>Close</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
