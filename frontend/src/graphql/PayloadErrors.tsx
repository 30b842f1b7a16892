import { Alert, Button } from 'antd';
import type { FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import { partitionUserErrors, type UserErrorLike } from './userErrors';

/**
 * Put payload errors whose `field` names one of `fields` under that input; return the rest
 * (shown with <PayloadErrorAlert/>).
 */
export function applyPayloadErrors(
  form: FormInstance,
  errors: readonly UserErrorLike[],
  fields: readonly string[],
): UserErrorLike[] {
  const { fieldErrors, formErrors } = partitionUserErrors(errors, (path) => fields.includes(String(path[0])));
  form.setFields(fieldErrors.map((e) => ({ name: e.name as never, errors: e.errors })));
  return formErrors;
}

/** Errors not tied to one input, the code in words; a stale version offers a reload. */
export function PayloadErrorAlert({ errors, onReload }: { errors: readonly UserErrorLike[]; onReload?: () => void }) {
  const { t } = useTranslation();
  if (errors.length === 0) return null;
  const stale = errors.some((e) => e.code === 'STALE_VERSION');
  return (
    <Alert
      type="error"
      showIcon
      data-testid="payload-error"
      style={{ marginBottom: 16 }}
      title={[...new Set(errors.map((e) => t(`errorCode.${e.code}`)))].join(' · ')}
      description={errors.map((e, i) => (
        <div key={i}>{e.message}</div>
      ))}
      action={
        stale && onReload ? (
          <Button size="small" onClick={onReload}>
            {t('ranks.reload')}
          </Button>
        ) : undefined
      }
    />
  );
}
