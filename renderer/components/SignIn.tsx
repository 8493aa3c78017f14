import { useT } from '../i18n/index.js';
import { useApp } from '../state/context.js';

export function SignIn() {
  const t = useT();
  const codeRefused = useApp((s) => s.codeRefused);
  return (
    <section className="card narrow" data-testid="signin-needed">
      <h1>{t('signin.title')}</h1>
      {codeRefused ? <p className="error-note">{t('signin.codeRefused')}</p> : null}
      <p>{t('signin.body')}</p>
    </section>
  );
}
