export { buildTrend, trendPoint, type TrendInput } from './build-trend.js';
export { readPreviousPackets, type PacketFile } from './read-packets.js';
export { monthsEndingWith, TREND_MONTHS } from './months.js';
export type { TrendPoint, TrendSection } from '../../model/governance-sections.js';
