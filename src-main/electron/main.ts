// Entry of the Electron main process (built to out/main/index.js).
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startApp } from './app-main.js';

startApp(process.argv, { mainDir: dirname(fileURLToPath(import.meta.url)) });
