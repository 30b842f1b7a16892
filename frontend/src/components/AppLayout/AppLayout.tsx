import { Suspense, useState, type ReactNode } from 'react';
import { Grid, Layout, Menu, Space, Spin, Typography, theme } from 'antd';
import { UserMenu } from '../../auth/components/UserMenu';
import {
  AlertOutlined,
  ApartmentOutlined,
  AimOutlined,
  ApiOutlined,
  CloudUploadOutlined,
  DashboardOutlined,
  DiffOutlined,
  KeyOutlined,
  OrderedListOutlined,
  SafetyCertificateOutlined,
  ScheduleOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { useMe } from '../../auth/MeContext';
import { Link, Outlet, useLocation } from 'react-router';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../../i18n/LanguageSwitch';
import { Logo } from '../Logo';
import { InboxBell } from '../../notifications/views/InboxBell';

const { Header, Sider, Content } = Layout;

const NAV = [
  { key: '/', icon: <DashboardOutlined />, label: 'nav.dashboard', testId: 'nav-dashboard' },
  { key: '/org', icon: <ApartmentOutlined />, label: 'nav.orgTree', testId: 'nav-org' },
  { key: '/ranks', icon: <OrderedListOutlined />, label: 'nav.ranks', testId: 'nav-ranks' },
  { key: '/reps', icon: <TeamOutlined />, label: 'nav.reps', testId: 'nav-reps' },
  { key: '/plans', icon: <AimOutlined />, label: 'nav.plans', testId: 'nav-plans' },
  { key: '/alerts', icon: <AlertOutlined />, label: 'nav.alerts', testId: 'nav-alerts' },
  { key: '/adjustments', icon: <DiffOutlined />, label: 'adjustments.nav', testId: 'nav-adjustments', anyAction: ['request_adjustments', 'decide_adjustments'] },
  { key: '/alerts/rules', icon: <SafetyCertificateOutlined />, label: 'nav.alertRules', testId: 'nav-alert-rules', action: 'manage_alert_rules' },
  { key: '/imports', icon: <CloudUploadOutlined />, label: 'nav.imports', testId: 'nav-imports', action: 'import_data' },
  { key: '/admin/users', icon: <UserOutlined />, label: 'nav.users', testId: 'nav-users', action: 'manage_users' },
  { key: '/admin/tokens', icon: <KeyOutlined />, label: 'nav.tokens', testId: 'nav-tokens', action: 'manage_tokens' },
  { key: '/integrations/webhooks', icon: <ApiOutlined />, label: 'nav.webhooks', testId: 'nav-webhooks', action: 'manage_integrations' },
  { key: '/integrations/jobs', icon: <ScheduleOutlined />, label: 'nav.jobs', testId: 'nav-jobs', action: 'manage_integrations' },
] as const satisfies readonly { key: string; icon: ReactNode; label: string; testId: string; action?: string; anyAction?: readonly string[] }[];

type NavItem = (typeof NAV)[number];

/** Navigation entries the user may use: those without an action, or whose action (or one of `anyAction`) is in `me.actions`. */
export function visibleNav(actions: readonly string[]): NavItem[] {
  return NAV.filter((item) => {
    if ('anyAction' in item) return item.anyAction.some((action) => actions.includes(action));
    return !('action' in item) || actions.includes(item.action);
  });
}

/** The entry of the longest path `pathname` is under ("/alerts/rules/x" → "/alerts/rules"). */
export function selectedKey(pathname: string): string {
  const under = (key: string) => pathname === key || pathname.startsWith(`${key}/`);
  const match = NAV.filter((item) => item.key !== '/' && under(item.key)).sort((a, b) => b.key.length - a.key.length);
  if (match[0]) return match[0].key;
  return pathname === '/' || under('/overview') ? '/' : '';
}

export function AppLayout() {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  const { token } = theme.useToken();
  const [collapsed, setCollapsed] = useState(false);
  const me = useMe();
  const items = visibleNav(me?.actions ?? []);
  // On a phone the header keeps the bell, the language and the user; the subtitle goes.
  const narrow = Grid.useBreakpoint().md === false;

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Sider
        width={216}
        breakpoint="lg"
        collapsedWidth={64}
        collapsed={collapsed}
        onBreakpoint={setCollapsed}
        theme="dark"
        data-testid="side-nav"
      >
        <div style={{ height: 56, display: 'flex', alignItems: 'center', gap: 10, padding: '0 20px' }}>
          <Logo />
          {!collapsed && <span style={{ color: '#fff', fontWeight: 600, fontSize: 16, whiteSpace: 'nowrap' }}>Quotient</span>}
        </div>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={[selectedKey(pathname)]}
          items={items.map((item) => ({
            key: item.key,
            icon: item.icon,
            label: (
              <Link to={item.key} data-testid={item.testId}>
                {t(item.label)}
              </Link>
            ),
          }))}
        />
      </Sider>
      <Layout>
        <Header
          style={{
            background: token.colorBgContainer,
            padding: narrow ? '0 12px' : '0 24px',
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'space-between',
            borderBottom: `1px solid ${token.colorBorderSecondary}`,
            height: 56,
          }}
        >
          {narrow ? (
            <span />
          ) : (
            <Typography.Text type="secondary" data-testid="app-subtitle">
              {t('app.subtitle')}
            </Typography.Text>
          )}
          <Space size={narrow ? 8 : 16}>
            <InboxBell />
            <LanguageSwitch />
            <UserMenu />
          </Space>
        </Header>
        <Content style={{ padding: narrow ? 12 : 24, minWidth: 0 }}>
          <Suspense fallback={<Spin style={{ display: 'block', marginTop: 80 }} />}>
            <Outlet />
          </Suspense>
        </Content>
      </Layout>
    </Layout>
  );
}
