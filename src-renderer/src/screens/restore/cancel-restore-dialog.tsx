import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
} from '@fluentui/react-components';

/** Cancel, with what it leaves at this moment (recomputed while the dialog is open). */
export function CancelRestoreDialog(props: {
  open: boolean;
  leaves: string;
  onConfirm: () => void;
  onClose: () => void;
}) {
  return (
    <Dialog open={props.open} onOpenChange={(_e, d) => !d.open && props.onClose()}>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>Cancel the restore now?</DialogTitle>
          <DialogContent data-testid="cancel-leaves">{props.leaves}</DialogContent>
          <DialogActions>
            <Button appearance="primary" onClick={props.onConfirm}>
              Cancel the restore
            </Button>
            <Button onClick={props.onClose}>Keep restoring</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
