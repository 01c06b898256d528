// Elasticsearch 7.17 (the 7.x line Octane releases use): every real-node scenario.
import { defineRealNodeScenarios } from './real-node-scenarios.js';

defineRealNodeScenarios('7.17.29');
