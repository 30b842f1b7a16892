import ReactEChartsCore from 'echarts-for-react/esm/core';
import * as echarts from 'echarts/core';
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  TooltipComponent,
  DataZoomComponent,
  TitleComponent,
} from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import type { EChartsCoreOption } from 'echarts/core';

echarts.use([
  BarChart,
  LineChart,
  PieChart,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  DataZoomComponent,
  TitleComponent,
  SVGRenderer,
]);

/** Animations are off for automated browsers and for people who ask for reduced motion. */
export function chartAnimationEnabled(): boolean {
  if (typeof navigator !== 'undefined' && navigator.webdriver) return false;
  if (typeof window !== 'undefined' && window.matchMedia?.('(prefers-reduced-motion: reduce)').matches) return false;
  return true;
}

interface Props {
  option: EChartsCoreOption;
  height?: number;
  testId?: string;
}

/** Tree-shaken ECharts with the SVG renderer (crisp, and renders in jsdom). */
export function Chart({ option, height = 300, testId }: Props) {
  return (
    <div data-testid={testId}>
      <ReactEChartsCore
        echarts={echarts}
        option={{ animation: chartAnimationEnabled(), ...option }}
        opts={{ renderer: 'svg' }}
        notMerge
        style={{ height, width: '100%' }}
      />
    </div>
  );
}
