// Sandboxed preload (built as CommonJS): exposes exactly the contract's API on window.octane.
import { contextBridge, ipcRenderer } from 'electron';
import { API_GLOBAL } from '../contract/ipc.js';
import { createApi } from './create-api.js';

contextBridge.exposeInMainWorld(API_GLOBAL, createApi(ipcRenderer));
