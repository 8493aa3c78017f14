import { buildTemplate, templateDir } from './template.js';

/** `npm run build` ends here: dist/pgdata-template, the database a new terminal folder starts from. */
await buildTemplate();
process.stdout.write(`database template written to ${templateDir()}\n`);
