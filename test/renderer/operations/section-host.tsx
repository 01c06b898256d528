// Renders one profile-editor section with real editor state (as ProfileEditor does) and exposes
// the state it ends up with, so a test can check what Save would send.
import { useEffect, useState, type ComponentType } from 'react';
import type { Profile } from '../../../src-main/contract/profile.js';
import type { ProfileRecord } from '../../../src-main/contract/ui.js';
import {
  editorFromRecord,
  newEditorState,
  setIn,
  type EditorState,
} from '../../../src-renderer/src/screens/profiles/editor-model.js';
import type { SectionProps } from '../../../src-renderer/src/screens/profiles/section-props.js';

export const NO_SECRETS = {
  databasePassword: false,
  elasticsearchPassword: false,
  elasticsearchApiKey: false,
  smtpPassword: false,
  sealKey: false,
};

export function record(profile: Partial<Profile>, secrets: Partial<typeof NO_SECRETS> = {}): ProfileRecord {
  return {
    profile: { profile: 'nightly', destination: '/backups', repository: { path: '/repo' }, ...profile },
    secrets: { ...NO_SECRETS, ...secrets },
    volumes: {},
    updatedAt: '2026-03-01T10:00:00.000Z',
  };
}

export function hostState(rec?: ProfileRecord): { current: EditorState } {
  return { current: rec ? editorFromRecord(rec) : newEditorState() };
}

export function SectionHost(props: {
  section: ComponentType<SectionProps>;
  state: { current: EditorState };
  problems?: Record<string, string>;
}) {
  const { state: box } = props;
  const [state, setState] = useState(box.current);
  useEffect(() => {
    box.current = state;
  }, [box, state]);
  const Section = props.section;
  return (
    <Section
      state={state}
      set={(path, value) => setState((s) => ({ ...s, profile: setIn(s.profile, path, value) }))}
      update={setState}
      problem={(key) => props.problems?.[key]}
    />
  );
}
