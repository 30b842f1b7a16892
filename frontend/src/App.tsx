import { lazy } from 'react';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { AppLayout } from './components/AppLayout/AppLayout';
import { RouteError } from './components/RouteError';
import { NotFound } from './components/NotFound';
import { RequireSignIn } from './auth/MeContext';

const SignInView = lazy(() => import('./auth/views/SignInView'));
const HomeView = lazy(() => import('./dashboard/views/HomeView'));
const DashboardView = lazy(() => import('./dashboard/views/DashboardView'));
const OrgTreeView = lazy(() => import('./orgTree/views/OrgTreeView'));
const RankLadderView = lazy(() => import('./ranks/views/RankLadderView'));
const RepListView = lazy(() => import('./reps/views/RepListView'));
const RepDetailsView = lazy(() => import('./reps/views/RepDetailsView'));
const PlanListView = lazy(() => import('./plans/views/PlanListView'));
const PlanWizardView = lazy(() => import('./plans/views/PlanWizardView'));
const PlanDetailsView = lazy(() => import('./plans/views/PlanDetailsView'));
const PlanCompareView = lazy(() => import('./plans/views/PlanCompareView'));
const FeedbackSummaryView = lazy(() => import('./feedback/views/FeedbackSummaryView'));
const ImportView = lazy(() => import('./imports/views/ImportView'));
const UsersView = lazy(() => import('./admin/views/UsersView'));
const TokensView = lazy(() => import('./admin/views/TokensView'));
const AdjustmentsView = lazy(() => import('./adjustments/views/AdjustmentsView'));
const AlertsView = lazy(() => import('./alerts/views/AlertsView'));
const AlertRulesView = lazy(() => import('./alerts/views/AlertRulesView'));
const InboxView = lazy(() => import('./notifications/views/InboxView'));
const WebhooksView = lazy(() => import('./integrations/views/WebhooksView'));
const JobsView = lazy(() => import('./integrations/views/JobsView'));

export const routes = [
  { path: '/sign-in', element: <SignInView />, errorElement: <RouteError /> },
  {
    path: '/',
    element: (
      <RequireSignIn>
        <AppLayout />
      </RequireSignIn>
    ),
    errorElement: <RouteError />,
    children: [
      { index: true, element: <HomeView /> },
      { path: 'overview', element: <DashboardView /> },
      { path: 'org', element: <OrgTreeView /> },
      { path: 'org/:orgUnitId', element: <OrgTreeView /> },
      { path: 'ranks', element: <RankLadderView /> },
      { path: 'reps', element: <RepListView /> },
      { path: 'reps/:repId', element: <RepDetailsView /> },
      { path: 'plans', element: <PlanListView /> },
      { path: 'plans/new', element: <PlanWizardView /> },
      { path: 'plans/compare', element: <PlanCompareView /> },
      { path: 'plans/:planId', element: <PlanDetailsView /> },
      { path: 'plans/:planId/feedback', element: <FeedbackSummaryView /> },
      { path: 'imports', element: <ImportView /> },
      { path: 'admin/users', element: <UsersView /> },
      { path: 'admin/tokens', element: <TokensView /> },
      { path: 'adjustments', element: <AdjustmentsView /> },
      { path: 'alerts', element: <AlertsView /> },
      { path: 'alerts/rules', element: <AlertRulesView /> },
      { path: 'inbox', element: <InboxView /> },
      { path: 'integrations/webhooks', element: <WebhooksView /> },
      { path: 'integrations/jobs', element: <JobsView /> },
      { path: '*', element: <NotFound /> },
    ],
  },
];

const router = createBrowserRouter(routes);

export function App() {
  return <RouterProvider router={router} />;
}
