import { t } from '../i18n';
import { SupportLink } from './SupportLink';

/** W-REG-CHINA-SMS with the manual path of domain.md §5.2. */
export function ChinaWarning(): React.JSX.Element {
  return (
    <div className="alert alert-warning" role="note" aria-labelledby="china-warning-title">
      <p className="alert-title" id="china-warning-title">
        {t.chinaWarning.title}
      </p>
      <p>{t.chinaWarning.body}</p>
      <p>{t.chinaWarning.next}</p>
      <SupportLink code="W-REG-CHINA-SMS" />
    </div>
  );
}
