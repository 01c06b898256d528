import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Spinner,
  Text,
  makeStyles,
  tokens,
  mergeClasses,
} from '@fluentui/react-components';
import { useRef, useState } from 'react';
import type { ErrorInfo } from '@contract/errors.js';
import type { ProfileRecord } from '@contract/ui.js';
import { ErrorBar } from '../../components/error-bar.js';
import { AddRegular } from '../../icons.js';
import { NEW_PROFILE_KEY, useDrafts } from './drafts-context.js';
import { ProfileEditor } from './profile-editor.js';

const useStyles = makeStyles({
  // The list takes what its names need (up to 180 px): the form gets the rest of a 1024 px window.
  root: {
    display: 'grid',
    gridTemplateColumns: 'minmax(120px, max-content) minmax(0, 1fr)',
    gap: tokens.spacingHorizontalL,
  },
  list: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
    paddingTop: tokens.spacingVerticalL,
    maxWidth: '180px',
  },
  item: { justifyContent: 'flex-start', overflowWrap: 'anywhere', textAlign: 'start' },
  selected: { backgroundColor: tokens.colorNeutralBackground1Selected },
});

export function ProfilesScreen(props: {
  profiles?: ProfileRecord[];
  loading: boolean;
  error?: ErrorInfo;
  selected?: string;
  onSelect: (name: string | undefined) => void;
  onChanged: () => void;
}) {
  const s = useStyles();
  const drafts = useDrafts();
  const [creating, setCreating] = useState(props.profiles?.length === 0);
  const [notice, setNotice] = useState<string | undefined>();
  // Where the admin wanted to go when the open form had unsaved changes.
  const [pending, setPending] = useState<(() => void) | undefined>();
  const saveRef = useRef<(() => Promise<boolean>) | undefined>(undefined);
  const record = creating
    ? undefined
    : (props.profiles?.find((p) => p.profile.profile === props.selected) ??
      (props.selected === undefined ? props.profiles?.[0] : undefined));
  const openKey = record?.profile.profile ?? NEW_PROFILE_KEY;
  const openName = record ? `“${record.profile.profile}”` : 'the new profile';

  /** Leaves the open form, asking first when it has unsaved changes. */
  const leave = (go: () => void): void => {
    if (drafts.dirty.has(openKey)) setPending(() => go);
    else go();
  };
  const openNew = (): void => {
    setNotice(undefined);
    setCreating(true);
  };
  const openProfile = (name: string): void => {
    setNotice(undefined);
    setCreating(false);
    props.onSelect(name);
  };

  return (
    <div className={s.root}>
      <nav className={s.list} aria-label="Profiles">
        <Button appearance="primary" icon={<AddRegular />} onClick={() => leave(openNew)}>
          New profile
        </Button>
        {props.loading && !props.profiles ? <Spinner size="tiny" label="Loading profiles" /> : null}
        {props.error ? <ErrorBar error={props.error} /> : null}
        {props.profiles?.map((p) => {
          const name = p.profile.profile;
          const isOpen = !creating && record?.profile.profile === name;
          const unsaved = drafts.dirty.has(name);
          return (
            <Button
              key={name}
              appearance="subtle"
              aria-current={isOpen ? 'page' : undefined}
              aria-label={unsaved ? `${name}, unsaved changes` : undefined}
              className={mergeClasses(s.item, isOpen && s.selected)}
              onClick={() => {
                if (!isOpen) leave(() => openProfile(name));
              }}
            >
              {unsaved ? `${name} •` : name}
            </Button>
          );
        })}
        {props.profiles?.length === 0 ? <Text size={200}>No profiles yet.</Text> : null}
      </nav>
      {props.profiles ? (
        <ProfileEditor
          key={openKey}
          record={record}
          notice={notice}
          registerSave={(save) => {
            saveRef.current = save;
          }}
          onSaved={(rec) => {
            setNotice('saved');
            setCreating(false);
            props.onSelect(rec.profile.profile);
            props.onChanged();
          }}
          onDeleted={() => {
            setNotice(undefined);
            props.onSelect(undefined);
            props.onChanged();
          }}
        />
      ) : null}
      <Dialog
        open={pending !== undefined}
        modalType="alert"
        onOpenChange={(_e, d) => {
          if (!d.open) setPending(undefined);
        }}
      >
        <DialogSurface>
          <DialogBody>
            <DialogTitle>Unsaved changes to {openName}</DialogTitle>
            <DialogContent>
              Save them before leaving, or discard them? Passwords typed but not saved are discarded too.
            </DialogContent>
            <DialogActions>
              {/* The safe choice has the focus: Enter keeps the form as it is. */}
              <Button autoFocus onClick={() => setPending(undefined)}>
                Stay
              </Button>
              <Button
                onClick={() => {
                  const go = pending;
                  setPending(undefined);
                  drafts.drop(openKey);
                  go?.();
                }}
              >
                Discard changes
              </Button>
              <Button
                appearance="primary"
                onClick={() => {
                  const go = pending;
                  setPending(undefined);
                  void saveRef.current?.().then((saved) => {
                    if (saved) go?.();
                  });
                }}
              >
                Save and continue
              </Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </div>
  );
}
