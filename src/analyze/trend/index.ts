export { buildTrend, trendPoint } from './build-trend.js';
