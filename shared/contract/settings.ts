import { z } from 'zod';
import { because } from '../issues.js';
import { settingKeys, settingSchemas, settingsPatchSchema } from '../settings.js';
import { command, everyone, query } from './define.js';

/** Who last changed a key (null: it still has its default). */
const changeInfo = z.object({ updatedAt: z.string(), updatedBy: z.string() }).nullable();

export const settingsViewSchema = z.object({
  /** Every key: its stored value, or its default for this store. */
  values: z.object(settingSchemas),
  changed: z.object(Object.fromEntries(settingKeys.map((k) => [k, changeInfo])) as Record<keyof typeof settingSchemas, typeof changeInfo>),
});
export type SettingsView = z.infer<typeof settingsViewSchema>;

export const settingsUpdateInput = z.strictObject({
  changes: settingsPatchSchema.refine((p) => Object.values(p).some((v) => v !== undefined), because('nothingToChange')),
});

export const settingsMethods = [
  query({
    name: 'settings.get',
    summary: 'Every counter setting of the store, with its default where nobody set it, and who changed each last.',
    input: z.strictObject({}),
    output: settingsViewSchema,
    roles: everyone,
  }),
  command({
    name: 'settings.update',
    summary:
      'Changes some settings (one SettingChanged per key whose value differs, with the previous value, audited). ' +
      'Concurrent changes of one key on several terminals resolve last-writer-wins by clock.',
    input: settingsUpdateInput,
    output: settingsViewSchema,
    roles: ['owner'],
  }),
] as const;
