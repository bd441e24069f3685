export { buildTrend, trendPoint } from './build-trend.js';
export { readPreviousPackets } from './read-packets.js';
export { monthsEndingWith } from './months.js';
