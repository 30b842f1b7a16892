import { Button, Result } from 'antd';
import { isRouteErrorResponse, useRouteError } from 'react-router';
import { useTranslation } from 'react-i18next';

/** A readable page instead of a blank screen when a view throws. */
export function RouteError() {
  const { t } = useTranslation();
  const error = useRouteError();
  const detail = isRouteErrorResponse(error)
    ? `${error.status} ${error.statusText}`
    : error instanceof Error
      ? error.message
      : String(error);
  return (
    <Result
      status="error"
      title={t('common.crashed')}
      subTitle={detail}
      data-testid="route-error"
      extra={[
        <Button key="reload" type="primary" onClick={() => window.location.reload()}>
          {t('common.reload')}
        </Button>,
        <Button key="home" href="/">
          {t('common.home')}
        </Button>,
      ]}
    />
  );
}
