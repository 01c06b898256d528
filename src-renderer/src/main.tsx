import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { API_GLOBAL, type OctaneApi } from '@contract/ipc.js';
import { App } from './app.js';

const api = (window as unknown as Record<string, OctaneApi | undefined>)[API_GLOBAL];
const root = document.getElementById('root');
if (!root) throw new Error('index.html lacks #root');
if (!api) {
  root.textContent = 'This page must be opened by Octane Backup Manager (its preload script is missing).';
} else {
  createRoot(root).render(
    <StrictMode>
      <App api={api} />
    </StrictMode>,
  );
}
