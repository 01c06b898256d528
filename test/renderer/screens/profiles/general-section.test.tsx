// @vitest-environment happy-dom
import '../../dom-setup.js';
import { cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { GeneralSection } from '../../../../src-renderer/src/screens/profiles/general-section.js';
import { fakeApi, renderWithApi } from '../../fake-api.js';
import { hostState, record, SectionHost } from '../../operations/section-host.js';

afterEach(cleanup);

describe('profile section', () => {
  it('says the tolerated data loss set under Schedule instead of offering a second field for it', () => {
    const { api } = fakeApi({});
    renderWithApi(
      <SectionHost
        section={GeneralSection}
        state={hostState(record({ schedule: { targetIntervalHours: 12 } }))}
      />,
      api,
    );
    expect(document.querySelector('input[name="schedule.targetIntervalHours"]')).toBeNull();
    expect(screen.queryByRole('spinbutton', { name: /data loss/i })).toBeNull();
    expect(screen.getByTestId('general-rpo').textContent).toMatch(
      /^12 h: the schedule runs at least this often.*Change it under Schedule\.$/,
    );
  });

  it('says "No schedule" for a profile without one', () => {
    const { api } = fakeApi({});
    renderWithApi(<SectionHost section={GeneralSection} state={hostState(record({}))} />, api);
    expect(screen.getByTestId('general-rpo').textContent).toBe(
      'No schedule: choose the tolerated data loss under Schedule, or run backups by hand.',
    );
  });
});
