import { z } from 'zod';
import { settingsMethods } from '../contract/settings.js';
import { eventDef } from '../eventdef.js';
import { settingKeys, settingSchemas, type SettingKey, type Settings } from '../settings.js';
import { defineSharedDomain } from './define.js';

/** One key's change: the new value and the one it replaced (its default if it had never been set). */
export type SettingChange = { [K in SettingKey]: { key: K; value: Settings[K]; previous: Settings[K] } }[SettingKey];

const changeSchema = z.discriminatedUnion(
  'key',
  settingKeys.map((key) => z.object({ key: z.literal(key), value: settingSchemas[key], previous: settingSchemas[key] })) as unknown as [
    z.ZodObject<{ key: z.ZodLiteral<SettingKey> }>,
  ],
) as unknown as z.ZodType<SettingChange>;

/** The settings' events: who changed a key is the event's actor. */
export const settingsEvents = {
  SettingChanged: eventDef(changeSchema),
};

export const settingsDomain = defineSharedDomain({
  name: 'settings',
  methods: settingsMethods,
  events: settingsEvents,
  topics: ['settings'],
});
