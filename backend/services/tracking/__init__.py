"""During the period: actuals recorded by day, progress against targets, the dashboard."""
