export { buildTrend, trendPoint, TREND_GAP } from './build-trend.js';
