// @vitest-environment happy-dom
// The Overview's drive rotation (issue 18): a connected drive with its free space and newest copy,
// a drive away too long with its warning, one never connected, and a rotation that cannot be read.
import '../../dom-setup.js';
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { RotationStatusView } from '../../../../src-main/contract/removable.js';
import { RotationDrives } from '../../../../src-renderer/src/screens/overview/rotation-drives.js';

afterEach(cleanup);

const base: RotationStatusView = {
  profile: 'nightly',
  drives: [],
  exportAfterRun: true,
  minIntervalHours: 12,
  eject: true,
  checkedAt: '2026-03-10T08:00:00Z',
  problems: [],
};

describe('RotationDrives', () => {
  it('shows each drive: connected, away too long (warned), never connected', () => {
    const rotation: RotationStatusView = {
      ...base,
      drives: [
        {
          volumeId: 'aaaa1111-0000',
          label: 'Offsite A',
          connected: true,
          root: 'E:\\',
          freeBytes: 200 * 2 ** 30,
          newestSet: { setName: '20260310T020000Z-scheduled-1a2b3c4d' },
        },
        {
          volumeId: 'bbbb2222-0000',
          label: 'Offsite B',
          connected: false,
          lastSeenAt: '2026-02-20T08:00:00Z',
          warning: '"Offsite B" was last connected … (18 days ago, more than 7 days): rotate it.',
        },
        {
          volumeId: 'cccc3333-0000',
          connected: false,
          warning: 'drive cccc3333 has never been connected to this machine.',
        },
      ],
    };
    render(
      <FluentProvider theme={webLightTheme}>
        <RotationDrives rotation={rotation} />
      </FluentProvider>,
    );
    const rows = screen.getAllByTestId('rotation-drive').map((r) => r.textContent);
    expect(rows[0]).toBe(
      'Offsite A: connected at E:\\, 200 GiB free; newest copy 20260310T020000Z-scheduled-1a2b3c4d',
    );
    expect(rows[1]).toMatch(/^Offsite B: not connected, last seen .*2026.*rotate it\.$/);
    expect(rows[2]).toBe('cccc3333: never connecteddrive cccc3333 has never been connected to this machine.');
  });

  it('says when the rotation cannot be checked', () => {
    render(
      <FluentProvider theme={webLightTheme}>
        <RotationDrives
          rotation={{ ...base, problems: ['The drives of the rotation cannot be checked: boom'] }}
        />
      </FluentProvider>,
    );
    expect(screen.getByTestId('overview-rotation').textContent).toContain('cannot be checked: boom');
  });
});
