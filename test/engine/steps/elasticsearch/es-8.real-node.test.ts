// Elasticsearch 8.19 (the 8.x line Octane releases use): every real-node scenario.
import { defineRealNodeScenarios } from './real-node-scenarios.js';

defineRealNodeScenarios('8.19.8');
