import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src-main/electron/key-value-store.js';
import {
  loadWindowState,
  restoredWindowState,
  saveWindowState,
} from '../../src-main/electron/window-state.js';

const MIN = { width: 960, height: 640 };
const LAPTOP = { x: 0, y: 0, width: 1366, height: 728 };
const SECOND = { x: 1366, y: 0, width: 1920, height: 1040 };

describe('the main window reopens where it was left', () => {
  it('gives back the saved size, place and maximized state through the store', () => {
    const store = new MemoryStore();
    saveWindowState(store, { x: 1500, y: 40, width: 1200, height: 800 }, true);
    expect(loadWindowState(store, [LAPTOP, SECOND], MIN)).toEqual({
      x: 1500,
      y: 40,
      width: 1200,
      height: 800,
      maximized: true,
    });
  });

  it('does not restore a place on a monitor that is gone: the window would open out of reach', () => {
    const store = new MemoryStore();
    saveWindowState(store, { x: 1500, y: 40, width: 1200, height: 800 }, false);
    expect(loadWindowState(store, [LAPTOP], MIN)).toBeUndefined();
  });

  it('needs the title bar on a screen (not above it), and raises a size below the minimum', () => {
    expect(restoredWindowState({ x: 100, y: -20, width: 1000, height: 700 }, [LAPTOP], MIN)).toBeUndefined();
    expect(restoredWindowState({ x: 100, y: 10, width: 300, height: 200 }, [LAPTOP], MIN)).toEqual({
      x: 100,
      y: 10,
      width: 960,
      height: 640,
      maximized: false,
    });
  });

  it('ignores nothing saved and malformed values', () => {
    expect(restoredWindowState(undefined, [LAPTOP], MIN)).toBeUndefined();
    expect(restoredWindowState({ x: 'a', y: 0, width: 1, height: 1 }, [LAPTOP], MIN)).toBeUndefined();
    expect(restoredWindowState({ x: 0, y: 0, width: Infinity, height: 700 }, [LAPTOP], MIN)).toBeUndefined();
  });
});
