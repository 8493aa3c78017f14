import { systemMethods } from '../contract/system.js';
import { defineSharedDomain } from './define.js';

/** The node itself: its status. No events of its own. */
export const systemDomain = defineSharedDomain({
  name: 'system',
  methods: systemMethods,
  events: {},
  topics: ['status'],
});
