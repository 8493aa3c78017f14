import { federationMethods } from '../contract/federation.js';
import { defineSharedDomain } from './define.js';

/** The terminal's link to its central: enrollment, relay status and actions. No events of its own. */
export const federationDomain = defineSharedDomain({
  name: 'federation',
  methods: federationMethods,
  events: {},
  topics: ['federation'],
});
