import { useState } from 'react';
import { Alert, Button, Card, Flex, Form, Input, Typography } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Navigate, useSearchParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { meQuery } from '../queries';
import { useTranslation } from 'react-i18next';
import { Logo } from '../../components/Logo';
import { LanguageSwitch } from '../../i18n/LanguageSwitch';
import type { UserErrorLike } from '../../graphql/userErrors';
import { signInMutation } from '../mutations';
import { isSignedIn, safeNext } from '../session';

interface Values {
  username: string;
  password: string;
}

export default function SignInView() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const [form] = Form.useForm<Values>();
  const [{ fetching }, signIn] = useMutation(signInMutation);
  const [formErrors, setFormErrors] = useState<UserErrorLike[]>([]);
  const [{ data: current }] = useQuery({ query: meQuery, requestPolicy: 'network-only' });

  const submit = async (values: Values) => {
    setFormErrors([]);
    const result = await signIn(values);
    if (result.error) {
      setFormErrors([{ code: 'INVALID', field: null, message: result.error.message }]);
      return;
    }
    const errors = result.data?.signIn.errors ?? [];
    const byField = errors.filter((e) => e.field === 'username' || e.field === 'password');
    form.setFields(byField.map((e) => ({ name: e.field as keyof Values, errors: [e.message] })));
    setFormErrors(errors.filter((e) => !byField.includes(e)));
    if (errors.length === 0 && result.data?.signIn.me) {
      // A fresh page: a new client, cache and socket for the signed-in user.
      window.location.assign(safeNext(params.get('next')));
    }
  };

  if (isSignedIn(current?.me)) return <Navigate to={safeNext(params.get('next'))} replace />;

  return (
    <Flex vertical align="center" justify="center" style={{ minHeight: '100vh', padding: 24 }} data-testid="page-sign-in">
      <div style={{ position: 'absolute', top: 16, right: 24 }}>
        <LanguageSwitch />
      </div>
      <Card style={{ width: 380 }}>
        <Flex align="center" gap={10} style={{ marginBottom: 8 }}>
          <Logo size={32} />
          <Typography.Title level={3} style={{ margin: 0 }}>
            Quotient
          </Typography.Title>
        </Flex>
        <Typography.Paragraph type="secondary">{t('auth.intro')}</Typography.Paragraph>
        {formErrors.length > 0 && (
          <Alert
            type="error"
            showIcon
            data-testid="sign-in-error"
            style={{ marginBottom: 16 }}
            title={formErrors.map((e) => e.message).join(' ')}
          />
        )}
        <Form<Values> form={form} layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item name="username" label={t('auth.username')} rules={[{ required: true, message: t('ranks.validation.required') }]}>
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus data-testid="sign-in-username" />
          </Form.Item>
          <Form.Item name="password" label={t('auth.password')} rules={[{ required: true, message: t('ranks.validation.required') }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" data-testid="sign-in-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={fetching} data-testid="sign-in-submit">
            {t('auth.signIn')}
          </Button>
        </Form>
      </Card>
    </Flex>
  );
}
