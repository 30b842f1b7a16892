import { Avatar, Dropdown, Grid, Space, Typography } from 'antd';
import { LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { useMutation } from 'urql';
import { useTranslation } from 'react-i18next';
import { useMe } from '../MeContext';
import { signOutMutation } from '../mutations';

/** Who is signed in, their role and scope, and signing out. */
export function UserMenu() {
  const { t } = useTranslation();
  const me = useMe();
  const [, signOut] = useMutation(signOutMutation);
  const narrow = Grid.useBreakpoint().md === false; // a phone shows the avatar only
  if (!me) return null;
  const role = me.role ? t(`auth.roles.${me.role}`, { defaultValue: me.role }) : '';
  const scope = me.scopeOrgUnit?.name ?? (me.repId ? t('auth.ownRecord') : t('auth.wholeCompany'));

  const leave = async () => {
    await signOut({});
    window.location.assign('/sign-in');
  };

  return (
    <Dropdown
      trigger={['click']}
      menu={{
        items: [
          { key: 'scope', label: `${role} · ${scope}`, disabled: true },
          { type: 'divider' },
          { key: 'sign-out', icon: <LogoutOutlined />, label: <span data-testid="sign-out">{t('auth.signOut')}</span>, onClick: leave },
        ],
      }}
    >
      <Space style={{ cursor: 'pointer' }} data-testid="user-menu">
        <Avatar size="small" icon={<UserOutlined />} />
        {!narrow && (
          <Typography.Text style={{ whiteSpace: 'nowrap' }}>
            {me.displayName || me.username}
          </Typography.Text>
        )}
      </Space>
    </Dropdown>
  );
}
