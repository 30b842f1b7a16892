import { Grid } from 'antd';

/** A drawer's width on this screen: `width` where it fits, the whole screen on a phone. */
export function useDrawerSize(width: number): number | string {
  const screens = Grid.useBreakpoint();
  return screens.sm === false ? '100%' : width;
}
